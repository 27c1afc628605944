using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;

namespace FaceLogin.Domain.Aws.Provisioning;

/// <summary>
/// Makes the image bucket what AWS mode relies on: it exists, no public access of any kind, and default encryption
/// (SSE-S3, or SSE-KMS with the configured key) for anything written without an encryption header.
/// </summary>
public sealed class S3BucketProvisioner(IAmazonS3 s3, IOptions<AwsOptions> options, AwsClientFactory clients)
{
    private readonly AwsOptions _options = options.Value;

    public async Task<IReadOnlyList<ProvisionStep>> EnsureAsync(CancellationToken cancellationToken)
    {
        var bucket = _options.Bucket ?? throw new InvalidOperationException("FaceLogin:Aws:Bucket is required when FaceLogin:Images = S3.");
        return
        [
            await EnsureBucketAsync(bucket, cancellationToken).ConfigureAwait(false),
            await EnsurePublicAccessBlockAsync(bucket, cancellationToken).ConfigureAwait(false),
            await EnsureEncryptionAsync(bucket, cancellationToken).ConfigureAwait(false),
            await CheckVersioningAsync(bucket, cancellationToken).ConfigureAwait(false),
        ];
    }

    /// <summary>
    /// Reports versioning and leaves it as it is (an organisation baseline, replication or Object Lock may require it). On a
    /// versioned bucket DeleteObject only adds a delete marker and a deleted person's photos stay as noncurrent versions,
    /// so that is a warning naming what to configure (docs/aws.md, "Deleted data that AWS keeps").
    /// </summary>
    private async Task<ProvisionStep> CheckVersioningAsync(string bucket, CancellationToken cancellationToken)
    {
        const string resource = "S3 versioning";
        GetBucketVersioningResponse current;
        try
        {
            current = await s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (IsNotImplemented(ex))
        {
            return new ProvisionStep(resource, bucket, ProvisionOutcome.NotSupported, "the S3 endpoint does not implement it");
        }

        var status = current.VersioningConfig?.Status;
        if (status == VersionStatus.Enabled || status == VersionStatus.Suspended)
        {
            return new ProvisionStep(resource, bucket, ProvisionOutcome.Warning,
                $"{status.Value}: deleted photos stay as noncurrent versions; add a lifecycle rule that expires noncurrent versions under the prefix, see docs/aws.md");
        }

        return new ProvisionStep(resource, bucket, ProvisionOutcome.Exists, "off: a deleted photo is gone");
    }

    private async Task<ProvisionStep> EnsureBucketAsync(string bucket, CancellationToken cancellationToken)
    {
        try
        {
            await s3.HeadBucketAsync(new HeadBucketRequest { BucketName = bucket }, cancellationToken).ConfigureAwait(false);
            return new ProvisionStep("S3 bucket", bucket, ProvisionOutcome.Exists);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.Forbidden)
        {
            throw new InvalidOperationException($"S3 bucket '{bucket}' exists but these credentials may not use it (403); bucket names are global, choose another FaceLogin:Aws:Bucket.", ex);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            // Missing: create it below.
        }

        var request = new PutBucketRequest { BucketName = bucket, ObjectOwnership = ObjectOwnership.BucketOwnerEnforced };
        if (string.IsNullOrWhiteSpace(_options.S3ServiceUrl))
        {
            // Outside us-east-1 the location constraint must name the region the client talks to.
            var region = clients.ResolveRegion().SystemName;
            if (region != "us-east-1")
            {
                request.BucketRegionName = region;
            }
        }

        await s3.PutBucketAsync(request, cancellationToken).ConfigureAwait(false);
        return new ProvisionStep("S3 bucket", bucket, ProvisionOutcome.Created);
    }

    private async Task<ProvisionStep> EnsurePublicAccessBlockAsync(string bucket, CancellationToken cancellationToken)
    {
        const string resource = "S3 public access block";
        try
        {
            var current = await s3.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = bucket }, cancellationToken).ConfigureAwait(false);
            var block = current.PublicAccessBlockConfiguration;
            if (block is { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true })
            {
                return new ProvisionStep(resource, bucket, ProvisionOutcome.Exists);
            }
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode == "NoSuchPublicAccessBlockConfiguration")
        {
            // None yet: put it below.
        }
        catch (AmazonS3Exception ex) when (IsNotImplemented(ex))
        {
            return new ProvisionStep(resource, bucket, ProvisionOutcome.NotSupported, "the S3 endpoint does not implement it");
        }

        await s3.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest
        {
            BucketName = bucket,
            PublicAccessBlockConfiguration = new PublicAccessBlockConfiguration
            {
                BlockPublicAcls = true,
                IgnorePublicAcls = true,
                BlockPublicPolicy = true,
                RestrictPublicBuckets = true,
            },
        }, cancellationToken).ConfigureAwait(false);
        return new ProvisionStep(resource, bucket, ProvisionOutcome.Updated, "all public access blocked");
    }

    private async Task<ProvisionStep> EnsureEncryptionAsync(string bucket, CancellationToken cancellationToken)
    {
        const string resource = "S3 default encryption";
        var wanted = _options.Encryption == S3Encryption.Kms ? ServerSideEncryptionMethod.AWSKMS : ServerSideEncryptionMethod.AES256;
        try
        {
            var current = await s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucket }, cancellationToken).ConfigureAwait(false);
            var rule = current.ServerSideEncryptionConfiguration?.ServerSideEncryptionRules?.FirstOrDefault()?.ServerSideEncryptionByDefault;
            if (rule?.ServerSideEncryptionAlgorithm == wanted
                && (wanted != ServerSideEncryptionMethod.AWSKMS || string.IsNullOrWhiteSpace(_options.KmsKeyId) || rule.ServerSideEncryptionKeyManagementServiceKeyId == _options.KmsKeyId))
            {
                return new ProvisionStep(resource, bucket, ProvisionOutcome.Exists, wanted.Value);
            }
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode == "ServerSideEncryptionConfigurationNotFoundError")
        {
            // None yet (older buckets): put it below.
        }
        catch (AmazonS3Exception ex) when (IsNotImplemented(ex))
        {
            return new ProvisionStep(resource, bucket, ProvisionOutcome.NotSupported, "the S3 endpoint does not implement it");
        }

        var byDefault = new ServerSideEncryptionByDefault { ServerSideEncryptionAlgorithm = wanted };
        if (wanted == ServerSideEncryptionMethod.AWSKMS && !string.IsNullOrWhiteSpace(_options.KmsKeyId))
        {
            byDefault.ServerSideEncryptionKeyManagementServiceKeyId = _options.KmsKeyId;
        }

        await s3.PutBucketEncryptionAsync(new PutBucketEncryptionRequest
        {
            BucketName = bucket,
            ServerSideEncryptionConfiguration = new ServerSideEncryptionConfiguration
            {
                ServerSideEncryptionRules = [new ServerSideEncryptionRule { ServerSideEncryptionByDefault = byDefault, BucketKeyEnabled = wanted == ServerSideEncryptionMethod.AWSKMS }],
            },
        }, cancellationToken).ConfigureAwait(false);
        return new ProvisionStep(resource, bucket, ProvisionOutcome.Updated, wanted.Value);
    }

    private static bool IsNotImplemented(AmazonS3Exception ex) =>
        ex.StatusCode == HttpStatusCode.NotImplemented || ex.ErrorCode == "NotImplemented";
}
