using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Ports;
using Microsoft.Extensions.Logging;

namespace FaceLogin.Domain.Reindexing;

/// <summary>
/// Re-computes every registered face from its stored photo with the configured model, into a new collection, and then makes
/// that collection the active one in one atomic switch (<see cref="ICollectionGenerations"/>). Nobody is asked to sign up
/// again and nobody is missing at any moment: until the switch every process searches the old collection; after it, the new
/// one, which holds everybody.
/// </summary>
/// <remarks>
/// <para>
/// Resumable and idempotent: the new generation's face records say which photos are done, so a run killed at any point is
/// finished by the next one, which first deletes the faces a killed run indexed but did not record (before the switch nobody
/// else writes the new collection). Only one re-index runs at a time (<see cref="ICollectionGenerations.HoldReindexLockAsync"/>).
/// </para>
/// <para>
/// An app serving the old generation may go on registering during the run: the pass repeats until it finds nothing new,
/// and after the switch the faces registered in between are carried over (<see cref="ReindexPhase.CatchingUp"/>) before the
/// old generation's records are deleted; from the switch on, that app's registrations are refused by the directory.
/// The recorded face is re-computed whatever the new model's quality filter says (the person was accepted when they
/// registered), and only when the new model finds the same face (by box overlap) in the photo.
/// </para>
/// </remarks>
public sealed partial class CollectionReindexer(
    ICollectionGenerations generations,
    IFaceCollectionFactory collections,
    IFaceImageStore images,
    TimeProvider time,
    ILogger<CollectionReindexer> logger)
{
    /// <summary>Below this overlap with the recorded box, the face the new model indexed is not the one that was registered.</summary>
    public const float MinBoxOverlap = 0.3f;

    private const int PageSize = 500;

    public async Task<ReindexReport> RunAsync(ReindexOptions options, IProgress<ReindexProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        await using var held = options.DryRun ? null : await generations.HoldReindexLockAsync(cancellationToken).ConfigureAwait(false);
        var active = await generations.ReadActiveGenerationAsync(cancellationToken).ConfigureAwait(false)
            ?? CollectionGeneration.Initial(collections.BaseCollectionId);
        var run = new Run(active);

        if (!options.DryRun)
        {
            await FinishPreviousSwitchAsync(active, run, progress, cancellationToken).ConfigureAwait(false);
        }

        var activeModel = (await collections.DescribeAsync(active.CollectionId, cancellationToken).ConfigureAwait(false))?.FaceModelVersion ?? active.ModelVersion;
        var target = await ChooseTargetAsync(active, activeModel, options, cancellationToken).ConfigureAwait(false);
        if (target is null && options.DryRun && collections.ConfiguredModelVersion is null)
        {
            // Only a new collection tells which model the service gives it, and a dry run makes none: what a run would do is
            // unknown (re-compute every face into the next collection, or nothing), which the report says with no model.
            run.Faces = await CountAsync(active.Number, cancellationToken).ConfigureAwait(false);
            return run.Report(ReindexOutcome.DryRun, activeModel, CollectionGeneration.CollectionIdFor(collections.BaseCollectionId, active.Number + 1), toModel: null);
        }

        if (target is null)
        {
            await DeleteRetainedAsync(active, options, run, cancellationToken).ConfigureAwait(false);
            run.Faces = await CountAsync(active.Number, cancellationToken).ConfigureAwait(false);
            return run.Report(options.DryRun ? ReindexOutcome.DryRun : ReindexOutcome.UpToDate, activeModel, active.CollectionId, activeModel);
        }

        if (options.DryRun)
        {
            run.Faces = await CountAsync(active.Number, cancellationToken).ConfigureAwait(false);
            run.AlreadyDone = await CountAsync(target.Generation, cancellationToken).ConfigureAwait(false);
            return run.Report(ReindexOutcome.DryRun, activeModel, target.CollectionId, target.ModelVersion);
        }

        var collection = collections.Open(target.CollectionId);
        await collection.EnsureCollectionAsync(cancellationToken).ConfigureAwait(false);
        run.OrphansRemoved = await RemoveOrphansAsync(collection, target.Generation, cancellationToken).ConfigureAwait(false);
        await ComputeUntilCaughtUpAsync(active.Number, target, collection, run, ReindexPhase.Computing, progress, cancellationToken).ConfigureAwait(false);
        if (run.Failures.Count > 0 && !options.SkipFailed)
        {
            LogStopped(run.Failures.Count, target.CollectionId);
            return run.Report(ReindexOutcome.Stopped, activeModel, target.CollectionId, target.ModelVersion);
        }

        var switched = await generations.SwitchAsync(target, active, options.DeleteOld ? null : active.CollectionId, cancellationToken).ConfigureAwait(false);
        LogSwitched(active.CollectionId, switched.CollectionId, switched.ModelVersion);
        await FinishPreviousSwitchAsync(switched, run, progress, cancellationToken).ConfigureAwait(false);
        if (options.DeleteOld)
        {
            await DeleteCollectionAsync(active.CollectionId, run, cancellationToken).ConfigureAwait(false);
        }

        await DeleteRetainedAsync(switched, options, run, cancellationToken).ConfigureAwait(false);
        var retained = await generations.ReadActiveGenerationAsync(cancellationToken).ConfigureAwait(false);
        run.Retained = retained?.RetainedCollectionIds ?? [];
        return run.Report(ReindexOutcome.Switched, activeModel, switched.CollectionId, switched.ModelVersion);
    }

    /// <summary>
    /// The re-index to build, or null when the active collection already has the configured model (or, with Rekognition, when
    /// a new collection gets the model the active one has). A recorded target for another model is abandoned.
    /// </summary>
    private async Task<ReindexTarget?> ChooseTargetAsync(CollectionGeneration active, string? activeModel, ReindexOptions options, CancellationToken cancellationToken)
    {
        var recorded = await generations.GetReindexTargetAsync(cancellationToken).ConfigureAwait(false);
        var configured = collections.ConfiguredModelVersion;
        if (configured is not null)
        {
            if (recorded is not null && recorded.ModelVersion != configured && !options.DryRun)
            {
                await AbandonAsync(recorded, cancellationToken).ConfigureAwait(false);
                recorded = null;
            }

            var upToDate = activeModel is null || activeModel == configured;
            if (upToDate)
            {
                return null;
            }

            if (recorded is not null)
            {
                return recorded;
            }

            var proposed = new ReindexTarget(active.Number + 1, CollectionGeneration.CollectionIdFor(collections.BaseCollectionId, active.Number + 1), configured, time.GetUtcNow());
            return options.DryRun ? proposed : await BeginAsync(proposed, cancellationToken).ConfigureAwait(false);
        }

        // Rekognition: only a new collection tells which model it gets.
        if (recorded is not null)
        {
            return recorded;
        }

        // Without an active collection (provision not run, nobody registered) there is nothing to move.
        if (activeModel is null)
        {
            return null;
        }

        var candidateId = CollectionGeneration.CollectionIdFor(collections.BaseCollectionId, active.Number + 1);
        if (options.DryRun)
        {
            // Making a candidate to look at its model would change something; the caller reports the model as unknown.
            return null;
        }

        await collections.DeleteCollectionAsync(candidateId, cancellationToken).ConfigureAwait(false);
        var made = await collections.Open(candidateId).EnsureCollectionAsync(cancellationToken).ConfigureAwait(false);
        if (made.FaceModelVersion == activeModel)
        {
            await collections.DeleteCollectionAsync(candidateId, cancellationToken).ConfigureAwait(false);
            return null;
        }

        return await generations.BeginReindexAsync(new ReindexTarget(active.Number + 1, candidateId, made.FaceModelVersion, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records a new target. A collection already under its id is a leftover (a target abandoned halfway, or made and never
    /// recorded): it cannot be the active one or a kept one, whose generations are older, so it is emptied first.
    /// </summary>
    private async Task<ReindexTarget> BeginAsync(ReindexTarget proposed, CancellationToken cancellationToken)
    {
        await collections.DeleteCollectionAsync(proposed.CollectionId, cancellationToken).ConfigureAwait(false);
        return await generations.BeginReindexAsync(proposed, cancellationToken).ConfigureAwait(false);
    }

    private async Task AbandonAsync(ReindexTarget target, CancellationToken cancellationToken)
    {
        LogAbandoned(target.CollectionId, target.ModelVersion);
        await collections.DeleteCollectionAsync(target.CollectionId, cancellationToken).ConfigureAwait(false);
        await generations.AbandonReindexAsync(target, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Passes over the source generation until one finds nothing left to carry over (an app may register meanwhile). Each
    /// pass skips what the target generation already holds, so repeating is cheap and a resumed run picks up where it stopped.
    /// </summary>
    private async Task ComputeUntilCaughtUpAsync(
        int source, ReindexTarget target, IFaceCollection collection, Run run, ReindexPhase phase, IProgress<ReindexProgress>? progress, CancellationToken cancellationToken)
    {
        var failedKeys = new HashSet<FaceImageKey>();
        while (true)
        {
            var done = await ImageKeysAsync(target.Generation, cancellationToken).ConfigureAwait(false);
            var todo = (await ListAllAsync(source, cancellationToken).ConfigureAwait(false))
                .Where(f => !done.Contains(f.ImageKey) && !failedKeys.Contains(f.ImageKey))
                .ToList();
            if (phase == ReindexPhase.Computing && run.Faces == 0)
            {
                run.Faces = todo.Count + done.Count;
                run.AlreadyDone = done.Count;
            }

            if (todo.Count == 0)
            {
                return;
            }

            for (var i = 0; i < todo.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var failure = await ComputeAsync(todo[i], target.Generation, collection, cancellationToken).ConfigureAwait(false);
                if (failure is not null)
                {
                    failedKeys.Add(todo[i].ImageKey);
                    run.Failures.Add(failure);
                }
                else if (phase == ReindexPhase.Computing)
                {
                    run.Computed++;
                }
                else
                {
                    run.CaughtUp++;
                }

                progress?.Report(new ReindexProgress(phase, i + 1, todo.Count, failedKeys.Count));
            }
        }
    }

    /// <summary>One photo into the target generation; null when done (or when its person was deleted meanwhile), else why not.</summary>
    private async Task<ReindexFailure?> ComputeAsync(RegisteredFace face, int generation, IFaceCollection collection, CancellationToken cancellationToken)
    {
        var stored = await images.GetAsync(face.ImageKey, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return new ReindexFailure(face.ImageKey, face.PersonId, "the stored photo is missing");
        }

        IndexFacesResult result;
        try
        {
            result = await collection.IndexFaceWithoutQualityFilterAsync(stored.Bytes, face.PersonId.ToString("N"), cancellationToken).ConfigureAwait(false);
        }
        catch (FaceImageRejectedException ex)
        {
            return new ReindexFailure(face.ImageKey, face.PersonId, $"the stored photo cannot be read ({ex.Problem})");
        }

        if (result.Indexed is not { } record)
        {
            return new ReindexFailure(face.ImageKey, face.PersonId, "the new model finds no face in the stored photo");
        }

        var box = result.IndexedDetail?.Box ?? record.Box;
        if (box.IntersectionOverUnion(face.Box) < MinBoxOverlap)
        {
            await collection.DeleteFacesAsync([record.FaceId], cancellationToken).ConfigureAwait(false);
            return new ReindexFailure(face.ImageKey, face.PersonId, "the new model's largest face is not the registered one");
        }

        var outcome = await generations.AddReindexedFaceAsync(face with { FaceId = record.FaceId, Box = box }, generation, cancellationToken).ConfigureAwait(false);
        if (outcome != ReindexedFaceOutcome.Added)
        {
            // Deleted meanwhile (or done by a run before): the face just indexed belongs to nobody.
            await collection.DeleteFacesAsync([record.FaceId], cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    /// <summary>
    /// After a switch: carries over the faces the old generation got during the run, then deletes its records. Also what a
    /// run does first, to finish a switch whose run was killed before this tail.
    /// </summary>
    private async Task FinishPreviousSwitchAsync(CollectionGeneration active, Run run, IProgress<ReindexProgress>? progress, CancellationToken cancellationToken)
    {
        if (active.PreviousGeneration is not { } previous)
        {
            return;
        }

        var target = new ReindexTarget(active.Number, active.CollectionId, active.ModelVersion ?? string.Empty, active.Since ?? time.GetUtcNow());
        await ComputeUntilCaughtUpAsync(previous, target, collections.Open(active.CollectionId), run, ReindexPhase.CatchingUp, progress, cancellationToken).ConfigureAwait(false);
        while (await generations.DeleteFacesOfGenerationAsync(previous, PageSize, cancellationToken).ConfigureAwait(false) > 0)
        {
        }
    }

    /// <summary>Faces in the target collection that no record of the target generation points to: indexed by a killed run.</summary>
    private async Task<int> RemoveOrphansAsync(IFaceCollection collection, int generation, CancellationToken cancellationToken)
    {
        var recorded = (await ListAllAsync(generation, cancellationToken).ConfigureAwait(false)).Select(f => f.FaceId).ToHashSet(StringComparer.Ordinal);
        var orphans = new List<string>();
        string? token = null;
        do
        {
            var page = await collection.ListFacesAsync(token, 1000, cancellationToken).ConfigureAwait(false);
            orphans.AddRange(page.Faces.Select(f => f.FaceId).Where(id => !recorded.Contains(id)));
            token = page.NextToken;
        }
        while (token is not null);

        if (orphans.Count > 0)
        {
            await collection.DeleteFacesAsync(orphans, cancellationToken).ConfigureAwait(false);
            LogOrphans(orphans.Count, collection.CollectionId);
        }

        return orphans.Count;
    }

    private async Task DeleteRetainedAsync(CollectionGeneration active, ReindexOptions options, Run run, CancellationToken cancellationToken)
    {
        run.Retained = active.RetainedCollectionIds;
        if (!options.DeleteOld || options.DryRun)
        {
            return;
        }

        foreach (var retained in active.RetainedCollectionIds)
        {
            await DeleteCollectionAsync(retained, run, cancellationToken).ConfigureAwait(false);
        }

        run.Retained = [];
    }

    private async Task DeleteCollectionAsync(string collectionId, Run run, CancellationToken cancellationToken)
    {
        await collections.DeleteCollectionAsync(collectionId, cancellationToken).ConfigureAwait(false);
        await generations.ForgetRetainedCollectionAsync(collectionId, cancellationToken).ConfigureAwait(false);
        run.Deleted.Add(collectionId);
        LogDeletedCollection(collectionId);
    }

    private async Task<List<RegisteredFace>> ListAllAsync(int generation, CancellationToken cancellationToken)
    {
        var faces = new List<RegisteredFace>();
        string? token = null;
        do
        {
            var page = await generations.ListFacesAsync(generation, token, PageSize, cancellationToken).ConfigureAwait(false);
            faces.AddRange(page.Faces);
            token = page.NextPageToken;
        }
        while (token is not null);

        return faces;
    }

    private async Task<HashSet<FaceImageKey>> ImageKeysAsync(int generation, CancellationToken cancellationToken) =>
        [.. (await ListAllAsync(generation, cancellationToken).ConfigureAwait(false)).Select(f => f.ImageKey)];

    private async Task<int> CountAsync(int generation, CancellationToken cancellationToken) =>
        (await ListAllAsync(generation, cancellationToken).ConfigureAwait(false)).Count;

    /// <summary>What one run counts as it goes.</summary>
    private sealed class Run(CollectionGeneration from)
    {
        public int Faces { get; set; }

        public int Computed { get; set; }

        public int AlreadyDone { get; set; }

        public int OrphansRemoved { get; set; }

        public int CaughtUp { get; set; }

        public List<ReindexFailure> Failures { get; } = [];

        public List<string> Deleted { get; } = [];

        public IReadOnlyList<string> Retained { get; set; } = [];

        public ReindexReport Report(ReindexOutcome outcome, string? fromModel, string toCollection, string? toModel) =>
            new(outcome, from.CollectionId, fromModel, toCollection, toModel, Faces, Computed, AlreadyDone, Failures, OrphansRemoved, CaughtUp, Deleted, Retained);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Re-index stopped before the switch: {Failures} photos could not be re-computed into {CollectionId}")]
    private partial void LogStopped(int failures, string collectionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Switched the face collection from {From} to {To} (model {Model})")]
    private partial void LogSwitched(string from, string to, string? model);

    [LoggerMessage(Level = LogLevel.Information, Message = "Abandoned the re-index into {CollectionId} (model {Model}): another model is configured now")]
    private partial void LogAbandoned(string collectionId, string model);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} faces in {CollectionId} that a killed re-index had indexed without recording")]
    private partial void LogOrphans(int count, string collectionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted the face collection {CollectionId}")]
    private partial void LogDeletedCollection(string collectionId);
}
