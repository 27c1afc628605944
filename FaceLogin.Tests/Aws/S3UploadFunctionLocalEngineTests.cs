using System.Text;
using FaceLogin.Domain.Aws.Function;
using FaceLogin.Domain.Aws.Provisioning;
using FaceLogin.Domain.Ports;
using FaceLogin.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FaceLogin.Tests.Aws;

/// <summary>
/// The S3-upload function end to end with the LOCAL face collection in place of Rekognition: lfw-dev photos put into
/// s3rver with <c>fullname</c> metadata, an S3 event, faces indexed by the real engine, records in DynamoDB Local.
/// </summary>
[Collection(AwsServersCollection.Name)]
public sealed class S3UploadFunctionLocalEngineTests(S3rverFixture s3rver, DynamoDbLocalFixture dynamoDb) : IDisposable
{
    private readonly ImportFolder _data = new();

    [Fact]
    public async Task Lfw_uploads_are_indexed_by_the_local_engine_once_and_a_bad_object_is_skipped()
    {
        var ct = TestContext.Current.CancellationToken;
        var dataset = TestEnvironment.RequireDataset();
        var (settings, bucket) = await LfwImportRun.HybridSettingsAsync(s3rver, dynamoDb, Path.Combine(_data.Root, "data"), ct);
        using var host = LfwImportRun.BuildDomain(settings);
        await host.StartAsync(ct);
        var services = host.Services;
        await services.GetRequiredService<AwsProvisioner>().ProvisionAsync(ct);
        var s3 = services.GetRequiredService<Amazon.S3.IAmazonS3>();
        var aaron = Guid.NewGuid();
        var abel = Guid.NewGuid();
        var uploads = new (Guid Person, string Name, byte[] Bytes)[]
        {
            (aaron, "Aaron Peirsol", await File.ReadAllBytesAsync(Path.Combine(dataset, "Aaron_Peirsol", "Aaron_Peirsol_0001.jpg"), ct)),
            (aaron, "Aaron Peirsol", await File.ReadAllBytesAsync(Path.Combine(dataset, "Aaron_Peirsol", "Aaron_Peirsol_0002.jpg"), ct)),
            (abel, "Abel Pacheco", await File.ReadAllBytesAsync(Path.Combine(dataset, "Abel_Pacheco", "Abel_Pacheco_0001.jpg"), ct)),
            (Guid.NewGuid(), "Not A Photo", Encoding.UTF8.GetBytes("this is not a photo")),
        };
        var keys = new List<string>();
        foreach (var (person, name, bytes) in uploads)
        {
            keys.Add(await S3UploadEvents.UploadAsSeedAsync(s3, bucket, "faces/" + FaceImageKey.New(person).Value, bytes, name, ct));
        }

        var function = services.GetRequiredService<S3UploadFunction>();
        var (first, _) = await S3UploadEvents.RunAsync(function, S3UploadEvents.Event(bucket, [.. keys.Select(k => ("ObjectCreated:Put", k))]), ct);
        var (replay, _) = await S3UploadEvents.RunAsync(function, S3UploadEvents.Event(bucket, [.. keys.Select(k => ("ObjectCreated:Put", k))]), ct);

        Assert.Equal((4, 3, 1, 0), (first.Records, first.Registered, first.Rejected, first.Failed));
        Assert.Equal("BadImage", first.Results[3].Status);
        Assert.Equal((3, 0), (replay.AlreadyImported, replay.Registered));
        var directory = services.GetRequiredService<IFaceDirectory>();
        Assert.Equal(2, (await directory.GetFacesAsync(aaron, ct)).Count);
        Assert.Equal("Abel Pacheco", (await directory.GetPersonAsync(abel, ct))?.FullName);
        var collected = await services.GetRequiredService<IFaceCollection>().ListFacesAsync(null, 100, ct);
        Assert.Equal(3, collected.Faces.Count);
        Assert.Equal(2, collected.Faces.Count(f => f.ExternalImageId.Replace("-", "", StringComparison.Ordinal) == aaron.ToString("N")));
        await host.StopAsync(ct);
    }

    public void Dispose() => _data.Dispose();
}
