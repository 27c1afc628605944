using FaceLogin.Domain.Aws.Provisioning;
using FaceLogin.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FaceLogin.Tests.Aws;

/// <summary>
/// <c>import</c> in hybrid AWS mode on lfw-dev photos: images in s3rver, the directory in DynamoDB Local, faces in the
/// local engine; a re-run skips everything.
/// </summary>
[Collection(AwsServersCollection.Name)]
public sealed class ImportLfwHybridTests(S3rverFixture s3rver, DynamoDbLocalFixture dynamoDb) : IDisposable
{
    private readonly ImportFolder _folder = new();

    [Fact]
    public async Task Lfw_photos_are_imported_into_S3_and_DynamoDB_and_a_second_run_skips_them()
    {
        var ct = TestContext.Current.CancellationToken;
        LfwImportRun.FillFolder(_folder);
        var (settings, _) = await LfwImportRun.HybridSettingsAsync(s3rver, dynamoDb, Path.Combine(_folder.Root, "data"), ct);
        using var host = LfwImportRun.BuildDomain(settings);
        await host.Services.GetRequiredService<AwsProvisioner>().ProvisionAsync(ct);

        await LfwImportRun.AssertImportsAndResumesAsync(host, _folder, ct);
    }

    public void Dispose() => _folder.Dispose();
}
