using Amazon.DynamoDBv2.Model;
using FaceLogin.Domain.Aws;
using FaceLogin.Domain.Aws.DynamoDb;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Ports;
using FaceLogin.Tests.Support;
using FaceLogin.Tests.Support.Contracts;

namespace FaceLogin.Tests.Aws;

/// <summary>The collection-generations contract against DynamoDB Local, plus what the item design itself promises.</summary>
[Collection(DynamoDbLocalCollection.Name)]
public sealed class DynamoDbCollectionGenerationsContractTests(DynamoDbLocalFixture dynamoDb) : CollectionGenerationsContract, IDisposable
{
    private readonly DynamoDbDirectories _directories = new(dynamoDb);

    protected override async Task<IFaceDirectory> CreateDirectoryAsync() => (await _directories.CreateAsync(Ct)).Directory;

    protected override Task<IFaceDirectory> OpenAgainAsync(IFaceDirectory directory) => _directories.OpenAgainAsync(directory, Ct);

    public void Dispose() => _directories.Dispose();

    private static readonly ReindexTarget ToGeneration1 = new(1, "faces-g1", "model-b", DateTimeOffset.UnixEpoch.AddDays(20_000));

    private static Person NewPerson(string name) =>
        new(Guid.NewGuid(), name, DateTimeOffset.UnixEpoch.AddDays(20_000), DateTimeOffset.UnixEpoch.AddDays(20_000), "2026-11-27", false, null);

    private static RegisteredFace NewFace(Guid personId, FaceImageKey? key = null) =>
        new("face-" + Guid.NewGuid().ToString("N"), personId, key ?? FaceImageKey.New(personId), new BoundingBox(0.25f, 0.125f, 0.5f, 0.625f), DateTimeOffset.UnixEpoch.AddDays(20_000));

    /// <summary>
    /// Generation 0 is stored as before generations existed (no Generation attribute, claim <c>image:{key}</c>), later ones
    /// are marked; the person's FaceIds lists both until the previous generation is deleted, which takes its ids off.
    /// </summary>
    [Fact]
    public async Task Items_keep_generation_0_as_stored_before_and_mark_later_generations()
    {
        var (directory, options) = await _directories.CreateAsync(Ct);
        var ann = NewPerson("Ann Smith");
        var old = NewFace(ann.Id);
        await directory.AddPersonAsync(ann, old, Ct);
        await directory.BeginReindexAsync(ToGeneration1, Ct);
        var next = NewFace(ann.Id, old.ImageKey);
        await directory.AddReindexedFaceAsync(next, 1, Ct);

        Assert.False((await ItemAsync(options.FacesTable, "RekognitionId", old.FaceId))!.ContainsKey("Generation"));
        Assert.Equal("1", (await ItemAsync(options.FacesTable, "RekognitionId", next.FaceId))!["Generation"].N);
        Assert.Equal(old.FaceId, (await ItemAsync(options.PeopleTable, "Id", "image:" + old.ImageKey.Value))!["FaceId"].S);
        Assert.Equal(next.FaceId, (await ItemAsync(options.PeopleTable, "Id", "image:g1:" + old.ImageKey.Value))!["FaceId"].S);
        Assert.Equal(new[] { next.FaceId, old.FaceId }.Order(StringComparer.Ordinal), (await FaceIdsAsync(options, ann.Id)).Order(StringComparer.Ordinal));

        await directory.SwitchAsync(ToGeneration1, CollectionGeneration.Initial("faces"), "faces", Ct);
        var active = (await ItemAsync(options.PeopleTable, "Id", "meta:collection"))!;
        Assert.Equal(("1", "faces-g1", "model-b", "0"), (active["Number"].N, active["CollectionId"].S, active["ModelVersion"].S, active["PreviousGeneration"].N));
        Assert.Equal(["faces"], active["RetainedCollectionIds"].SS);
        Assert.Null(await ItemAsync(options.PeopleTable, "Id", "meta:reindex"));

        Assert.Equal(1, await directory.DeleteFacesOfGenerationAsync(0, 10, Ct));
        Assert.Equal([next.FaceId], await FaceIdsAsync(options, ann.Id));
        Assert.Null(await ItemAsync(options.PeopleTable, "Id", "image:" + old.ImageKey.Value));
        Assert.False((await ItemAsync(options.PeopleTable, "Id", "meta:collection"))!.ContainsKey("PreviousGeneration"));
    }

    /// <summary>
    /// Pages span several scan calls (the generation's faces are spread among the other's) or end inside one, and the face a
    /// page ended on may be deleted before the next page is asked for: every face is listed once, no page is over the limit.
    /// </summary>
    [Fact]
    public async Task Listing_pages_across_scan_calls_and_past_a_deleted_face_lists_each_face_once()
    {
        var (directory, _) = await _directories.CreateAsync(Ct);
        var generation0 = new List<RegisteredFace>();
        var generation1 = new List<RegisteredFace>();
        await directory.BeginReindexAsync(ToGeneration1, Ct);
        for (var i = 0; i < 110; i++)
        {
            var person = NewPerson($"Person {i}");
            var face = NewFace(person.Id);
            await directory.AddPersonAsync(person, face, Ct);
            generation0.Add(face);
            if (i % 4 == 0)
            {
                var next = NewFace(person.Id, face.ImageKey);
                Assert.Equal(ReindexedFaceOutcome.Added, await directory.AddReindexedFaceAsync(next, 1, Ct));
                generation1.Add(next);
            }
        }

        Assert.Equal(Ids(generation0), Ids(await ListAllAsync(directory, 0, 40, deleteLastOfEachPage: false)));
        Assert.Equal(Ids(generation1), Ids(await ListAllAsync(directory, 1, 5, deleteLastOfEachPage: true)));
    }

    private static async Task<List<RegisteredFace>> ListAllAsync(DynamoDbFaceDirectory directory, int generation, int limit, bool deleteLastOfEachPage)
    {
        var listed = new List<RegisteredFace>();
        string? token = null;
        do
        {
            var page = await directory.ListFacesAsync(generation, token, limit, Ct);
            Assert.InRange(page.Faces.Count, 0, limit);
            listed.AddRange(page.Faces);
            if (deleteLastOfEachPage && page.Faces.Count > 0)
            {
                Assert.True(await directory.DeleteFaceAsync(page.Faces[^1].FaceId, Ct));
            }

            token = page.NextPageToken;
        }
        while (token is not null && listed.Count < 1000);

        return listed;
    }

    private static List<string> Ids(IEnumerable<RegisteredFace> faces) => [.. faces.Select(f => f.FaceId).Order(StringComparer.Ordinal)];

    /// <summary>The ConditionCheck fails the first sign-up too: neither the person nor the first-person marker is written.</summary>
    [Fact]
    public async Task A_first_sign_up_into_a_generation_switched_away_from_writes_nothing()
    {
        var (directory, options) = await _directories.CreateAsync(Ct);
        var switcher = await _directories.OpenAgainAsync(directory, Ct);
        await ((ICollectionGenerations)switcher).BeginReindexAsync(ToGeneration1, Ct);
        await ((ICollectionGenerations)switcher).SwitchAsync(ToGeneration1, CollectionGeneration.Initial("faces"), null, Ct);
        var ann = NewPerson("Ann Smith");

        var refused = await Assert.ThrowsAsync<DirectoryConflictException>(() => directory.AddPersonAdminIfFirstAsync(ann, NewFace(ann.Id), Ct));

        Assert.Contains("restart", refused.Message, StringComparison.Ordinal);
        Assert.Null(await directory.GetPersonAsync(ann.Id, Ct));
        Assert.Null(await ItemAsync(options.PeopleTable, "Id", "meta:first-person"));
    }

    /// <summary>A holder that died stops renewing: its lock runs out, and its late release leaves the new holder's.</summary>
    [Fact]
    public async Task A_dead_holders_reindex_lock_runs_out_and_its_late_release_leaves_the_new_holders()
    {
        var (directory, options) = await _directories.CreateAsync(Ct);
        var dead = await directory.HoldReindexLockAsync(Ct);
        var deadOwner = await LockOwnerAsync(options);

        var later = _directories.Another(options, new ManualTimeProvider(DateTimeOffset.UtcNow + DynamoDbFaceDirectory.ReindexLockLease + TimeSpan.FromSeconds(5)));
        await using var taken = await later.HoldReindexLockAsync(Ct);
        var newOwner = await LockOwnerAsync(options);
        await dead.DisposeAsync();

        Assert.NotEqual(deadOwner, newOwner);
        Assert.Equal(newOwner, await LockOwnerAsync(options));
        var error = await Assert.ThrowsAsync<TimeoutException>(() => _directories.Another(options, TimeProvider.System).HoldReindexLockAsync(Ct));
        Assert.Contains("Another re-index", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_reindex_lock_is_renewed_while_held_and_deleted_when_released()
    {
        var (_, options) = await _directories.CreateAsync(Ct);
        // Renewals every 20 s would make this test slow: its timers run a hundred times faster than the clock.
        var holder = _directories.Another(options, new HurriedTimers(100));
        var held = await holder.HoldReindexLockAsync(Ct);
        var first = (await ItemAsync(options.PeopleTable, "Id", "lock:reindex"))!["LeaseUntil"].S;

        string? renewed = first;
        for (var i = 0; i < 100 && renewed == first; i++)
        {
            await Task.Delay(100, Ct);
            renewed = (await ItemAsync(options.PeopleTable, "Id", "lock:reindex"))?["LeaseUntil"].S;
        }

        Assert.True(string.CompareOrdinal(renewed, first) > 0, $"The lease ({first}) was not renewed.");
        await held.DisposeAsync();
        Assert.Null(await ItemAsync(options.PeopleTable, "Id", "lock:reindex"));
    }

    private async Task<Dictionary<string, AttributeValue>?> ItemAsync(string table, string keyName, string key)
    {
        var response = await _directories.Client.GetItemAsync(new GetItemRequest
        {
            TableName = table,
            Key = new() { [keyName] = new AttributeValue { S = key } },
            ConsistentRead = true,
        }, Ct);
        return response.Item is { Count: > 0 } item ? item : null;
    }

    private async Task<List<string>> FaceIdsAsync(AwsOptions options, Guid personId) =>
        (await ItemAsync(options.PeopleTable, "Id", personId.ToString("D")))!["FaceIds"].SS;

    private async Task<string?> LockOwnerAsync(AwsOptions options) =>
        (await ItemAsync(options.PeopleTable, "Id", "lock:reindex"))?["Owner"].S;

    /// <summary>The system clock, with timers (and so delays) that fire <paramref name="factor"/> times sooner.</summary>
    private sealed class HurriedTimers(int factor) : TimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            base.CreateTimer(callback, state, Hurry(dueTime), Hurry(period));

        private TimeSpan Hurry(TimeSpan span) => span == Timeout.InfiniteTimeSpan ? span : span / factor;
    }
}
