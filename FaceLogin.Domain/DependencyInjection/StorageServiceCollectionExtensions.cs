using FaceLogin.Domain.Aws;
using FaceLogin.Domain.Local.Engine;
using FaceLogin.Domain.Local.Index;
using FaceLogin.Domain.Local.Stores;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FaceLogin.Domain.DependencyInjection;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// One adapter per port, each chosen on its own so hybrids work (e.g. S3 + DynamoDB with the local engine).
    /// </summary>
    public static IServiceCollection AddFaceLoginStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(FaceLoginOptions.SectionName).Get<FaceLoginOptions>() ?? new FaceLoginOptions();

        switch (options.Images)
        {
            case ImageStoreKind.Local:
                services.AddLocalImageStore();
                break;
            case ImageStoreKind.S3:
                services.AddS3ImageStore(configuration);
                break;
        }

        switch (options.Faces)
        {
            case FaceCollectionKind.Local:
                services.AddLocalFaceEngine(configuration);
                services.AddLocalFaceCollection(configuration);
                break;
            case FaceCollectionKind.Rekognition:
                services.AddRekognitionFaceCollection(configuration);
                break;
        }

        switch (options.Directory)
        {
            case DirectoryKind.Sqlite:
                services.AddSqliteDirectory();
                break;
            case DirectoryKind.DynamoDb:
                services.AddDynamoDbDirectory(configuration);
                break;
        }

        return services;
    }
}
