using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FaceLogin.Domain.Aws;

public static class AwsServiceCollectionExtensions
{
    public static IServiceCollection AddS3ImageStore(this IServiceCollection services, IConfiguration configuration) =>
        throw new InvalidOperationException("FaceLogin:Images = S3 is not available yet.");

    public static IServiceCollection AddRekognitionFaceCollection(this IServiceCollection services, IConfiguration configuration) =>
        throw new InvalidOperationException("FaceLogin:Faces = Rekognition is not available yet.");

    public static IServiceCollection AddDynamoDbDirectory(this IServiceCollection services, IConfiguration configuration) =>
        throw new InvalidOperationException("FaceLogin:Directory = DynamoDb is not available yet.");
}
