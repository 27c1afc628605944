using FaceLogin.Domain.Aws;
using FaceLogin.Domain.Local.Engine;
using FaceLogin.Domain.Local.Engine.Liveness;
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
            default:
                throw NotAnAdapter("Images", options.Images);
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
            default:
                throw NotAnAdapter("Faces", options.Faces);
        }

        // Bursts are judged on this machine in every mode; with Rekognition the models load only when a door asks for liveness.
        services.AddLocalLiveness(configuration);

        switch (options.Directory)
        {
            case DirectoryKind.Sqlite:
                services.AddSqliteDirectory();
                break;
            case DirectoryKind.DynamoDb:
                services.AddDynamoDbDirectory(configuration);
                break;
            default:
                throw NotAnAdapter("Directory", options.Directory);
        }

        return services;
    }

    /// <summary>
    /// Enum binding accepts numbers, so <c>FaceLogin:Images=7</c> binds to a value no adapter answers to. Without this the
    /// app would start and fail later resolving the port, with a message that does not name the setting.
    /// </summary>
    private static InvalidOperationException NotAnAdapter<TKind>(string setting, TKind value)
        where TKind : struct, Enum =>
        new($"{FaceLoginOptions.SectionName}:{setting} must be one of {string.Join(", ", Enum.GetNames<TKind>())}, not '{value}'.");
}
