using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Ports;

namespace FaceLogin.Tests.Support.Contracts;

/// <summary>
/// What every directory does with collection generations (<see cref="ICollectionGenerations"/>: the face records of a
/// re-index built beside the active ones, then one atomic switch). Run on SQLite and on DynamoDB Local.
/// </summary>
public abstract class CollectionGenerationsContract
{
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    /// <summary>A new, initialised directory with nothing in it, isolated from other tests.</summary>
    protected abstract Task<IFaceDirectory> CreateDirectoryAsync();

    /// <summary>A second instance over the same storage, as a process started later would open it.</summary>
    protected abstract Task<IFaceDirectory> OpenAgainAsync(IFaceDirectory directory);

    private static ICollectionGenerations Generations(IFaceDirectory directory) => (ICollectionGenerations)directory;

    private static Person NewPerson(string name) => new(Guid.NewGuid(), name, Now.AddMinutes(-10), Now.AddMinutes(-10), "2026-11-27", false, null);

    private static RegisteredFace NewFace(Guid personId, FaceImageKey? key = null) =>
        new("face-" + Guid.NewGuid().ToString("N"), personId, key ?? FaceImageKey.New(personId), new BoundingBox(0.25f, 0.125f, 0.5f, 0.625f), Now.AddMinutes(-5));

    private static ReindexTarget Target(int generation) => new(generation, $"faces-g{generation}", "model-b", Now);

    /// <summary>Ann with one face in generation 0, and a re-index to generation 1 begun.</summary>
    private static async Task<(Person Ann, RegisteredFace Old, ReindexTarget Target)> AnnAndReindexAsync(IFaceDirectory directory)
    {
        var ann = NewPerson("Ann Smith");
        var old = NewFace(ann.Id);
        await directory.AddPersonAsync(ann, old, Ct);
        return (ann, old, await Generations(directory).BeginReindexAsync(Target(1), Ct));
    }

    [Fact]
    public async Task A_new_directory_serves_generation_0_and_has_no_reindex()
    {
        var generations = Generations(await CreateDirectoryAsync());

        Assert.Null(await generations.GetServedGenerationAsync(Ct));
        Assert.Null(await generations.ReadActiveGenerationAsync(Ct));
        Assert.Null(await generations.GetReindexTargetAsync(Ct));
    }

    [Fact]
    public async Task Beginning_a_reindex_twice_keeps_the_first_target()
    {
        var generations = Generations(await CreateDirectoryAsync());

        var first = await generations.BeginReindexAsync(Target(1), Ct);
        var second = await generations.BeginReindexAsync(Target(1) with { ModelVersion = "model-c" }, Ct);

        Assert.Equal(Target(1), first);
        Assert.Equal(first, second);
        Assert.Equal(first, await generations.GetReindexTargetAsync(Ct));
    }

    [Fact]
    public async Task Faces_of_the_next_generation_are_invisible_until_the_switch_and_the_only_ones_after_it()
    {
        var directory = await CreateDirectoryAsync();
        var generations = Generations(directory);
        var (ann, old, target) = await AnnAndReindexAsync(directory);
        var next = NewFace(ann.Id, old.ImageKey) with { Box = new BoundingBox(0.3f, 0.2f, 0.4f, 0.5f) };

        Assert.Equal(ReindexedFaceOutcome.Added, await generations.AddReindexedFaceAsync(next, target.Generation, Ct));

        // This process still serves generation 0: the new record is not one of Ann's faces yet.
        Assert.Equal([old], await directory.GetFacesAsync(ann.Id, Ct));
        Assert.Null(await directory.FindFaceAsync(next.FaceId, Ct));
        Assert.Equal(old, await directory.FindFaceByImageKeyAsync(old.ImageKey, Ct));
        Assert.Equal([old], (await generations.ListFacesAsync(0, null, 10, Ct)).Faces);
        Assert.Equal([next], (await generations.ListFacesAsync(1, null, 10, Ct)).Faces);

        var switched = await generations.SwitchAsync(target, CollectionGeneration.Initial("faces"), retainedCollectionId: "faces", Ct);

        Assert.Equal(1, switched.Number);
        Assert.Equal("faces-g1", switched.CollectionId);
        Assert.Equal("model-b", switched.ModelVersion);
        Assert.Equal(0, switched.PreviousGeneration);
        Assert.Equal(["faces"], switched.RetainedCollectionIds);
        Assert.Equivalent(switched, await generations.ReadActiveGenerationAsync(Ct));
        Assert.Null(await generations.GetReindexTargetAsync(Ct));

        // A process started after the switch serves generation 1 and sees only its records; this one keeps serving 0.
        var restarted = await OpenAgainAsync(directory);
        Assert.Equal(1, (await Generations(restarted).GetServedGenerationAsync(Ct))!.Number);
        Assert.Equal([next], await restarted.GetFacesAsync(ann.Id, Ct));
        Assert.Equal(next, await restarted.FindFaceAsync(next.FaceId, Ct));
        Assert.Null(await restarted.FindFaceAsync(old.FaceId, Ct));
        Assert.Equal(next, await restarted.FindFaceByImageKeyAsync(old.ImageKey, Ct));
        var listed = Assert.Single((await restarted.ListPeopleAsync(new PeopleQuery(0, 10, null), Ct)).Items);
        Assert.Equal(1, listed.FaceCount);
        Assert.Equal(next, listed.FirstFace);
        Assert.Null(await Generations(directory).GetServedGenerationAsync(Ct));
    }

    [Fact]
    public async Task A_process_serving_an_older_generation_cannot_register_after_the_switch()
    {
        var directory = await CreateDirectoryAsync();
        var generations = Generations(directory);
        var (ann, _, target) = await AnnAndReindexAsync(directory);
        await generations.SwitchAsync(target, CollectionGeneration.Initial("faces"), retainedCollectionId: null, Ct);

        var bob = NewPerson("Bob Jones");
        await Assert.ThrowsAsync<DirectoryConflictException>(() => directory.AddPersonAsync(bob, NewFace(bob.Id), Ct));
        await Assert.ThrowsAsync<DirectoryConflictException>(() => directory.AddFaceAsync(NewFace(ann.Id), Ct));
        Assert.Null(await directory.GetPersonAsync(bob.Id, Ct));

        // Restarted, it registers into generation 1.
        var restarted = await OpenAgainAsync(directory);
        await restarted.AddPersonAsync(bob, NewFace(bob.Id), Ct);
        Assert.Single((await Generations(restarted).ListFacesAsync(1, null, 10, Ct)).Faces);
    }

    [Fact]
    public async Task Adding_a_reindexed_face_twice_or_for_a_deleted_person_writes_nothing()
    {
        var directory = await CreateDirectoryAsync();
        var generations = Generations(directory);
        var (ann, old, target) = await AnnAndReindexAsync(directory);
        var next = NewFace(ann.Id, old.ImageKey);

        Assert.Equal(ReindexedFaceOutcome.Added, await generations.AddReindexedFaceAsync(next, 1, Ct));
        Assert.Equal(ReindexedFaceOutcome.AlreadyThere, await generations.AddReindexedFaceAsync(NewFace(ann.Id, old.ImageKey), 1, Ct));
        Assert.Equal([next], (await generations.ListFacesAsync(1, null, 10, Ct)).Faces);

        var gone = NewPerson("Gone Person");
        Assert.Equal(ReindexedFaceOutcome.PersonGone, await generations.AddReindexedFaceAsync(NewFace(gone.Id), 1, Ct));
        Assert.Single((await generations.ListFacesAsync(1, null, 10, Ct)).Faces);
    }

    [Fact]
    public async Task Deleting_a_person_deletes_their_faces_of_every_generation()
    {
        var directory = await CreateDirectoryAsync();
        var generations = Generations(directory);
        var (ann, old, _) = await AnnAndReindexAsync(directory);
        await generations.AddReindexedFaceAsync(NewFace(ann.Id, old.ImageKey), 1, Ct);

        Assert.True(await directory.DeletePersonAsync(ann.Id, Ct));

        Assert.Empty((await generations.ListFacesAsync(0, null, 10, Ct)).Faces);
        Assert.Empty((await generations.ListFacesAsync(1, null, 10, Ct)).Faces);
    }

    [Fact]
    public async Task Listing_a_generation_pages_through_every_face_once()
    {
        var directory = await CreateDirectoryAsync();
        var generations = Generations(directory);
        var added = new List<RegisteredFace>();
        for (var i = 0; i < 7; i++)
        {
            var person = NewPerson($"Person {i}");
            var face = NewFace(person.Id);
            await directory.AddPersonAsync(person, face, Ct);
            added.Add(face);
        }

        var listed = new List<RegisteredFace>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await generations.ListFacesAsync(0, token, 3, Ct);
            Assert.True(page.Faces.Count <= 3);
            listed.AddRange(page.Faces);
            token = page.NextPageToken;
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Equal(added.OrderBy(f => f.FaceId, StringComparer.Ordinal), listed.OrderBy(f => f.FaceId, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Switching_from_a_generation_that_is_no_longer_active_or_to_a_forgotten_target_is_a_conflict()
    {
        var directory = await CreateDirectoryAsync();
        var generations = Generations(directory);
        var target = await generations.BeginReindexAsync(Target(1), Ct);
        var stale = new CollectionGeneration(3, "faces-g3", "model-x", Now, null, []);

        await Assert.ThrowsAsync<DirectoryConflictException>(() => generations.SwitchAsync(target, stale, null, Ct));
        await Assert.ThrowsAsync<DirectoryConflictException>(() => generations.SwitchAsync(Target(2), CollectionGeneration.Initial("faces"), null, Ct));
        Assert.Null(await generations.ReadActiveGenerationAsync(Ct));
        Assert.Equal(target, await generations.GetReindexTargetAsync(Ct));
    }

    [Fact]
    public async Task Abandoning_a_reindex_forgets_the_target_and_its_faces()
    {
        var directory = await CreateDirectoryAsync();
        var generations = Generations(directory);
        var (ann, old, target) = await AnnAndReindexAsync(directory);
        await generations.AddReindexedFaceAsync(NewFace(ann.Id, old.ImageKey), 1, Ct);

        await generations.AbandonReindexAsync(target, Ct);

        Assert.Null(await generations.GetReindexTargetAsync(Ct));
        Assert.Empty((await generations.ListFacesAsync(1, null, 10, Ct)).Faces);
        Assert.Equal([old], await directory.GetFacesAsync(ann.Id, Ct));
    }

    [Fact]
    public async Task The_previous_generation_is_deleted_in_batches_and_then_forgotten()
    {
        var directory = await CreateDirectoryAsync();
        var generations = Generations(directory);
        for (var i = 0; i < 3; i++)
        {
            var person = NewPerson($"Person {i}");
            var face = NewFace(person.Id);
            await directory.AddPersonAsync(person, face, Ct);
            await generations.BeginReindexAsync(Target(1), Ct);
            await generations.AddReindexedFaceAsync(NewFace(person.Id, face.ImageKey), 1, Ct);
        }

        var switched = await generations.SwitchAsync(Target(1), CollectionGeneration.Initial("faces"), retainedCollectionId: "faces", Ct);
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => generations.DeleteFacesOfGenerationAsync(switched.Number, 10, Ct));

        Assert.Equal(2, await generations.DeleteFacesOfGenerationAsync(0, 2, Ct));
        Assert.Equal(1, await generations.DeleteFacesOfGenerationAsync(0, 2, Ct));
        Assert.Equal(0, await generations.DeleteFacesOfGenerationAsync(0, 2, Ct));

        var active = await generations.ReadActiveGenerationAsync(Ct);
        Assert.Null(active!.PreviousGeneration);
        Assert.Equal(3, (await generations.ListFacesAsync(1, null, 10, Ct)).Faces.Count);
        Assert.Equal(["faces"], active.RetainedCollectionIds);

        await generations.ForgetRetainedCollectionAsync("faces", Ct);
        Assert.Empty((await generations.ReadActiveGenerationAsync(Ct))!.RetainedCollectionIds);
    }

    [Fact]
    public async Task Only_one_reindex_lock_is_held_at_a_time()
    {
        var directory = await CreateDirectoryAsync();
        var other = await OpenAgainAsync(directory);

        var held = await Generations(directory).HoldReindexLockAsync(Ct);
        await Assert.ThrowsAsync<TimeoutException>(() => Generations(other).HoldReindexLockAsync(Ct));
        await held.DisposeAsync();

        await using var again = await Generations(other).HoldReindexLockAsync(Ct);
    }
}
