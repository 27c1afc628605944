using Amazon.DynamoDBv2;
using Amazon.Extensions.NETCore.Setup;
using Amazon.S3;
using FaceLogin.Domain.Aws.DynamoDb;
using FaceLogin.Domain.Aws.Function;
using FaceLogin.Domain.Aws.Provisioning;
using FaceLogin.Domain.Aws.Rekognition;
using FaceLogin.Domain.Aws.S3;
using FaceLogin.Domain.Local.Engine;
using FaceLogin.Domain.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FaceLogin.Domain.Aws;

/// <summary>
/// AWS mode, one port at a time (FaceLogin:Images = S3, FaceLogin:Faces = Rekognition, FaceLogin:Directory = DynamoDb),
/// so hybrids such as S3 + DynamoDB with the local engine work. Each port validates its own settings at start-up.
/// SDK clients registered before these calls (tests, custom set-ups) are kept.
/// </summary>
public static class AwsServiceCollectionExtensions
{
    public static IServiceCollection AddS3ImageStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAwsCommon(configuration, AwsPort.Images);
        services.TryAddSingleton<IAmazonS3>(sp => sp.GetRequiredService<AwsClientFactory>().CreateS3());
        services.TryAddSingleton<S3FaceImageStore>();
        services.TryAddSingleton<IFaceImageStore>(sp => sp.GetRequiredService<S3FaceImageStore>());
        // The S3-upload function reads what this store writes; it is registered with it (the s3-function verb runs it).
        services.TryAddSingleton<S3UploadFunction>();
        services.TryAddSingleton<S3BucketProvisioner>();
        return services;
    }

    public static IServiceCollection AddRekognitionFaceCollection(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAwsCommon(configuration, AwsPort.Faces);
        services.AddRekognitionClient();
        return services;
    }

    public static IServiceCollection AddDynamoDbDirectory(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAwsCommon(configuration, AwsPort.Directory);
        services.TryAddSingleton<IAmazonDynamoDB>(sp => sp.GetRequiredService<AwsClientFactory>().CreateDynamoDb());
        services.TryAddSingleton<DynamoDbFaceDirectory>();
        services.TryAddSingleton<IFaceDirectory>(sp => sp.GetRequiredService<DynamoDbFaceDirectory>());
        services.TryAddSingleton<ICollectionGenerations>(sp => sp.GetRequiredService<DynamoDbFaceDirectory>());
        return services;
    }

    private static void AddAwsCommon(this IServiceCollection services, IConfiguration configuration, AwsPort port)
    {
        services.AddOptions<AwsOptions>()
            .Bind(configuration.GetSection(AwsOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AwsOptions>>(new AwsOptionsValidator(port));

        // FaceLogin:Engine:Decoder:MaxBytes is the one limit on image bytes, in every mode: S3 reads, the S3 function and
        // import refuse above it too. Bound here as well because the engine that also binds it may not be in use.
        services.AddOptions<LocalEngineOptions>().Bind(configuration.GetSection(LocalEngineOptions.SectionName));

        // Credentials and region from the standard AWS chain; Profile and Region may be set in FaceLogin:Aws.
        services.TryAddSingleton(_ => configuration.GetAWSOptions(AwsOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AwsClientFactory>();
        services.TryAddSingleton<AwsProvisioner>();
    }
}
