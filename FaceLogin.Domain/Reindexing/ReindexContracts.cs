using FaceLogin.Domain.Ports;

namespace FaceLogin.Domain.Reindexing;

/// <param name="DryRun">Report what a re-index would do and change nothing.</param>
/// <param name="DeleteOld">Delete the collection switched from (and any kept from earlier switches) instead of keeping it.</param>
/// <param name="SkipFailed">Switch even when some photos could not be re-computed; without it such a run stops before the switch.</param>
public sealed record ReindexOptions(bool DryRun = false, bool DeleteOld = false, bool SkipFailed = false);

public enum ReindexPhase
{
    /// <summary>Re-computing the active generation's faces into the new collection.</summary>
    Computing,

    /// <summary>After the switch: faces registered in the old generation during the run, carried over.</summary>
    CatchingUp,
}

/// <summary>Progress of one phase: faces handled of the total known at its start.</summary>
public readonly record struct ReindexProgress(ReindexPhase Phase, int Done, int Total, int Failed);

/// <summary>A registered photo that could not be re-computed, and why (in words for an operator).</summary>
public sealed record ReindexFailure(FaceImageKey ImageKey, Guid PersonId, string Reason);

public enum ReindexOutcome
{
    /// <summary>The active collection already uses the configured model; nothing was re-computed.</summary>
    UpToDate,

    /// <summary>Every face was re-computed and the new collection is active.</summary>
    Switched,

    /// <summary>Some photos could not be re-computed; the active collection is unchanged and a re-run resumes.</summary>
    Stopped,

    /// <summary>A dry run: nothing was changed.</summary>
    DryRun,
}

/// <summary>What a re-index did (or, for a dry run, would do).</summary>
/// <param name="FromCollection">The collection active at the start, and its model.</param>
/// <param name="ToCollection">The collection that is (or would be) active at the end, and its model.</param>
/// <param name="ToModel">Null in a dry run with Rekognition: only making the new collection would show its model.</param>
/// <param name="Faces">Face records of the active generation at the start.</param>
/// <param name="Computed">Faces re-computed by this run.</param>
/// <param name="AlreadyDone">Faces a run before this one had re-computed (a resumed run).</param>
/// <param name="OrphansRemoved">Faces in the new collection that no record pointed to (left by a killed run), deleted.</param>
/// <param name="CaughtUp">Faces registered in the old generation while the run went on, carried over after the switch.</param>
public sealed record ReindexReport(
    ReindexOutcome Outcome,
    string FromCollection,
    string? FromModel,
    string ToCollection,
    string? ToModel,
    int Faces,
    int Computed,
    int AlreadyDone,
    IReadOnlyList<ReindexFailure> Failures,
    int OrphansRemoved,
    int CaughtUp,
    IReadOnlyList<string> DeletedCollections,
    IReadOnlyList<string> RetainedCollections);
