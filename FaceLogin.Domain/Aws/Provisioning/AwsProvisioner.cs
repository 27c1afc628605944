using FaceLogin.Domain.Aws.DynamoDb;
using FaceLogin.Domain.Aws.Rekognition;
using FaceLogin.Domain.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FaceLogin.Domain.Aws.Provisioning;

/// <summary>
/// Creates what the configured AWS ports need, when missing: the bucket (public access blocked, default encryption),
/// the directory tables (with TTL on login attempts) and the Rekognition collection. Idempotent: a second run reports
/// every resource as existing. Local ports need nothing here (they create their files on first use).
/// </summary>
public sealed class AwsProvisioner(IServiceProvider services, IOptions<FaceLoginOptions> modes)
{
    public async Task<IReadOnlyList<ProvisionStep>> ProvisionAsync(CancellationToken cancellationToken)
    {
        var steps = new List<ProvisionStep>();
        if (modes.Value.Images == ImageStoreKind.S3)
        {
            steps.AddRange(await services.GetRequiredService<S3BucketProvisioner>().EnsureAsync(cancellationToken).ConfigureAwait(false));
        }

        if (modes.Value.Directory == DirectoryKind.DynamoDb)
        {
            steps.AddRange(await services.GetRequiredService<DynamoDbFaceDirectory>().Tables.EnsureAsync(cancellationToken).ConfigureAwait(false));
        }

        if (modes.Value.Faces == FaceCollectionKind.Rekognition)
        {
            var collection = services.GetRequiredService<RekognitionFaceCollection>();
            var existed = await collection.DescribeCollectionAsync(cancellationToken).ConfigureAwait(false) is not null;
            var description = await collection.EnsureCollectionAsync(cancellationToken).ConfigureAwait(false);
            steps.Add(new ProvisionStep("Rekognition collection", description.CollectionId,
                existed ? ProvisionOutcome.Exists : ProvisionOutcome.Created, $"face model {description.FaceModelVersion}, {description.FaceCount} faces"));
        }

        return steps;
    }
}
