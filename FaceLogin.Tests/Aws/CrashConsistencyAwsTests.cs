using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using FaceLogin.Domain.Aws.DynamoDb;
using FaceLogin.Tests.Support;

namespace FaceLogin.Tests.Aws;

/// <summary>
/// The crash tests of <c>Local/CrashConsistencyTests</c> for AWS mode's stores: photos in S3 (s3rver), the directory in
/// DynamoDB (DynamoDB Local, whose per-person lease the reconciliation takes), the local engine's collection. The import
/// verb and the app's deletion are killed in real child processes, and <c>reconcile --repair</c> runs in another.
/// </summary>
[Collection(AwsServersCollection.Name)]
public sealed class CrashConsistencyAwsTests(S3rverFixture s3rver, DynamoDbLocalFixture dynamoDb) : IDisposable
{
    private readonly TempFolder _data = new();
    private readonly ImportFolder _photos = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _data.Dispose();
        _photos.Dispose();
    }

    [Fact]
    public async Task An_import_killed_after_indexing_leaves_no_object_or_face_after_reconcile()
    {
        var settings = await SettingsAsync();
        _photos.Add("Aaron Peirsol", "1.jpg", Photo(1));
        var (exitCode, output, errors) = await CrashLeftovers.ImportAsync(settings, _photos.Root, "stored-image:after-face", _ct);
        Assert.True(exitCode == CrashLeftovers.Killed, $"import was not killed (exit {exitCode}):\n{output}\n{errors}");
        var left = await CrashLeftovers.ReadAsync(settings, _ct);
        Assert.Empty(left.People);
        Assert.Single(left.Files);
        var face = Assert.Single(left.CollectionFaces);

        await RunOutDeadHoldersLeaseAsync(settings, Guid.ParseExact(face.ExternalImageId, "N"));
        await CrashLeftovers.ReconcileAsync(settings, _ct, "--repair");
        var stores = await CrashLeftovers.ReadAsync(settings, _ct);
        CrashLeftovers.AssertNothingLeftBehind(stores);
        Assert.Empty(stores.Files);
    }

    [Theory]
    [InlineData("deletion:after-faces")]
    [InlineData("deletion:after-images")]
    public async Task A_deletion_killed_half_way_is_finished_by_reconcile(string crashPoint)
    {
        var settings = await SettingsAsync();
        _photos.Add("Aaron Peirsol", "1.jpg", Photo(1));
        _photos.Add("Aaron Peirsol", "2.jpg", Photo(2));
        Assert.Equal(0, (await CrashLeftovers.ImportAsync(settings, _photos.Root, crashPoint: null, _ct)).ExitCode);
        var person = Assert.Single((await CrashLeftovers.ReadAsync(settings, _ct)).People);

        var (exitCode, output, errors) = await CrashDriver.RunAsync(settings, "delete", person.ToString(), crashPoint, _ct);
        Assert.True(exitCode == CrashLeftovers.Killed, $"the deletion was not killed at {crashPoint} (exit {exitCode}):\n{output}\n{errors}");
        await RunOutDeadHoldersLeaseAsync(settings, person);

        Assert.Contains("would delete  record-without-face", await CrashLeftovers.ReconcileAsync(settings, _ct), StringComparison.Ordinal);
        await CrashLeftovers.ReconcileAsync(settings, _ct, "--repair");
        var stores = await CrashLeftovers.ReadAsync(settings, _ct);
        CrashLeftovers.AssertNothingLeftBehind(stores);
        Assert.Empty(stores.People);
    }

    /// <summary>
    /// The killed process held the person's lease, and in DynamoDB a lease outlives its dead holder until it runs out
    /// (<see cref="DynamoDbFaceDirectory.LeaseDuration"/>): until then reconcile reports the person busy and touches nothing
    /// of theirs, as it must (it cannot tell a dead holder from a slow one). Instead of waiting two minutes, the test moves
    /// the lease's end into the past, which is what the passing of that time does.
    /// </summary>
    private async Task RunOutDeadHoldersLeaseAsync(Dictionary<string, string?> settings, Guid personId)
    {
        using var client = new AmazonDynamoDBClient(S3rverFixture.Credentials, new AmazonDynamoDBConfig { ServiceURL = dynamoDb.ServiceUrl, AuthenticationRegion = "us-east-1" });
        await client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = settings["FaceLogin:Aws:PeopleTable"],
            Key = new() { [DirectoryItems.Id] = new AttributeValue { S = DirectoryItems.LeaseItemId(personId) } },
            UpdateExpression = "SET #until = :past",
            ConditionExpression = "attribute_exists(#id)",
            ExpressionAttributeNames = new() { ["#until"] = DirectoryItems.LeaseUntil, ["#id"] = DirectoryItems.Id },
            ExpressionAttributeValues = new() { [":past"] = new AttributeValue { S = DirectoryItems.Time(DateTimeOffset.UtcNow - DynamoDbFaceDirectory.LeaseDuration) } },
        }, _ct);
    }

    /// <summary>Hybrid settings (S3, DynamoDB, local collection) with the s3rver credentials the child processes sign with.</summary>
    private async Task<Dictionary<string, string?>> SettingsAsync()
    {
        var (settings, _) = await LfwImportRun.HybridSettingsAsync(s3rver, dynamoDb, _data.Path, _ct);
        settings["AWS_ACCESS_KEY_ID"] = "S3RVER";
        settings["AWS_SECRET_ACCESS_KEY"] = "S3RVER";
        return settings;
    }

    private static byte[] Photo(int ordinal) => File.ReadAllBytes(CrashLeftovers.LfwPhoto("Aaron_Peirsol", ordinal));
}
