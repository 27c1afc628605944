namespace FaceLogin.Domain.Ports;

/// <summary>
/// Which face collection the registered faces live in, and how a re-index moves them into a new one without a moment
/// where a person is missing. Every face record belongs to a generation; one generation is active. A re-index builds the
/// next generation (a new collection, a face record per registered photo) beside the active one and then switches the
/// active generation in one atomic write. Implemented by the directory adapters, which keep the face records.
/// </summary>
/// <remarks>
/// A process serves the generation that was active when it first asked (<see cref="GetServedGenerationAsync"/>): its face
/// reads see that generation's records, and its registrations write into it only while it is still active, so an app started
/// before a switch cannot add a face the new generation would never see (its registrations fail until it restarts).
/// </remarks>
public interface ICollectionGenerations
{
    /// <summary>
    /// The generation this process serves: the active one at the directory's initialisation (or the first call), then fixed.
    /// Null for generation 0 before any switch (its collection is the configured one, which the directory does not know).
    /// </summary>
    Task<CollectionGeneration?> GetServedGenerationAsync(CancellationToken cancellationToken);

    /// <summary>The active generation as stored now (null before the first switch: generation 0 in the configured collection).</summary>
    Task<CollectionGeneration?> ReadActiveGenerationAsync(CancellationToken cancellationToken);

    /// <summary>The re-index in progress, if any.</summary>
    Task<ReindexTarget?> GetReindexTargetAsync(CancellationToken cancellationToken);

    /// <summary>Records <paramref name="proposed"/> as the re-index in progress unless one is already recorded; returns the one recorded.</summary>
    Task<ReindexTarget> BeginReindexAsync(ReindexTarget proposed, CancellationToken cancellationToken);

    /// <summary>Forgets the re-index in progress (when it is for another model than the one now configured) and deletes its face records.</summary>
    Task AbandonReindexAsync(ReindexTarget target, CancellationToken cancellationToken);

    /// <summary>Every face record of one generation, in a stable order, a page at a time (<paramref name="pageToken"/> null for the first page).</summary>
    Task<FaceRecordPage> ListFacesAsync(int generation, string? pageToken, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Records a face of a generation being built (or just switched to) for a photo already registered in an earlier one.
    /// <see cref="ReindexedFaceOutcome.PersonGone"/> when the person was deleted meanwhile; <see cref="ReindexedFaceOutcome.AlreadyThere"/>
    /// when the generation has a face for that photo already (a re-run). Either way nothing is written.
    /// </summary>
    Task<ReindexedFaceOutcome> AddReindexedFaceAsync(RegisteredFace face, int generation, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the re-index target the active generation, atomically, and forgets the target. Throws
    /// <see cref="DirectoryConflictException"/> when the active generation or the target are no longer the ones the caller saw.
    /// </summary>
    /// <param name="retainedCollectionId">The previous collection, kept (not deleted) until a later <c>reindex --delete-old</c>.</param>
    Task<CollectionGeneration> SwitchAsync(ReindexTarget target, CollectionGeneration from, string? retainedCollectionId, CancellationToken cancellationToken);

    /// <summary>Deletes up to <paramref name="limit"/> face records of a generation (not the active one); returns how many went.</summary>
    Task<int> DeleteFacesOfGenerationAsync(int generation, int limit, CancellationToken cancellationToken);

    /// <summary>Forgets a retained collection once it has been deleted.</summary>
    Task ForgetRetainedCollectionAsync(string collectionId, CancellationToken cancellationToken);

    /// <summary>
    /// Holds the re-index lock until disposed: one re-index at a time across processes. A holder that dies releases it
    /// (an OS file lock, or a lease that is renewed while held and runs out soon after its holder stops).
    /// </summary>
    /// <exception cref="TimeoutException">Another re-index holds it.</exception>
    Task<IAsyncDisposable> HoldReindexLockAsync(CancellationToken cancellationToken);
}

/// <param name="Number">0 for the collection registrations have used from the start; each switch adds one.</param>
/// <param name="CollectionId">The face collection of this generation (generation 0: the configured one).</param>
/// <param name="ModelVersion">The model its faces were computed with, when known (null for generation 0 before any re-index).</param>
/// <param name="PreviousGeneration">The generation switched from, until its records have been caught up with and deleted.</param>
/// <param name="RetainedCollectionIds">Earlier collections kept after a switch, until <c>reindex --delete-old</c> deletes them.</param>
public sealed record CollectionGeneration(
    int Number,
    string CollectionId,
    string? ModelVersion,
    DateTimeOffset? Since,
    int? PreviousGeneration,
    IReadOnlyList<string> RetainedCollectionIds)
{
    /// <summary>The generation before any re-index.</summary>
    public static CollectionGeneration Initial(string collectionId) => new(0, collectionId, null, null, null, []);

    /// <summary>The collection of generation <paramref name="number"/>: the base collection's id with <c>-g{number}</c> after it.</summary>
    public static string CollectionIdFor(string baseCollectionId, int number) =>
        number == 0 ? baseCollectionId : $"{baseCollectionId}-g{number}";
}

/// <summary>A re-index in progress: the generation it builds, in which collection, with which model.</summary>
public sealed record ReindexTarget(int Generation, string CollectionId, string ModelVersion, DateTimeOffset StartedAt)
{
    /// <summary>The same re-index: generation, collection and model (stores keep the start time at their own precision).</summary>
    public static bool Same(ReindexTarget? a, ReindexTarget? b) =>
        a is not null && b is not null && a.Generation == b.Generation && a.CollectionId == b.CollectionId && a.ModelVersion == b.ModelVersion;
}

public sealed record FaceRecordPage(IReadOnlyList<RegisteredFace> Faces, string? NextPageToken);

public enum ReindexedFaceOutcome
{
    Added,
    AlreadyThere,
    PersonGone,
}
