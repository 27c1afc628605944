using FaceLogin.Domain.Authentication;
using FaceLogin.Domain.Faces;

namespace FaceLogin.Domain.Ports;

/// <summary>
/// Who is registered: people, their faces (FaceId → person, as the seed's table maps RekognitionId → FullName)
/// and login attempts. Implemented by SQLite (local mode) and DynamoDB (AWS mode).
/// </summary>
public interface IFaceDirectory
{
    /// <summary>Creates or migrates the schema (tables) when missing. Idempotent.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Adds a person together with their first face, atomically. Throws <see cref="DirectoryConflictException"/> if either exists.
    /// From then on the directory has held a person, so <see cref="AddPersonAdminIfFirstAsync"/> makes nobody admin by being first.
    /// </summary>
    Task AddPersonAsync(Person person, RegisteredFace firstFace, CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="AddPersonAsync"/>, for a person who signed up: they are stored as admin when the directory has never held
    /// a person before (a new installation), otherwise with <see cref="Person.IsAdmin"/> as given. Decided by a marker written
    /// atomically with the person (O(1), no count), so of first sign-ups at once — in any number of processes — exactly one is
    /// admin. The marker outlives deletions: once everybody is deleted, the next sign-up is not made admin by being first.
    /// Returns the person as stored.
    /// </summary>
    Task<Person> AddPersonAdminIfFirstAsync(Person person, RegisteredFace firstFace, CancellationToken cancellationToken);

    /// <summary>
    /// Holds the person's lease until the result is disposed: while one caller holds it, no other caller in any process
    /// gets it (they wait, and a <see cref="TimeoutException"/> ends a wait that takes too long). Registering a stored image
    /// holds it from indexing to the directory write or its undo, and deleting a person holds it, because both delete the
    /// faces indexed under the person's id that the directory does not record; without the lease that would take a face
    /// another process has indexed and not recorded yet. A holder that dies loses the lease when it runs out.
    /// A directory written by one process only may answer a lease that holds nothing: the registration's write gate already
    /// serialises the process.
    /// </summary>
    Task<IAsyncDisposable> HoldPersonLeaseAsync(Guid personId, CancellationToken cancellationToken);

    /// <summary>Adds another face to an existing person. Throws <see cref="DirectoryConflictException"/> if the face or its image key exists, or the person does not.</summary>
    Task AddFaceAsync(RegisteredFace face, CancellationToken cancellationToken);

    Task<Person?> GetPersonAsync(Guid personId, CancellationToken cancellationToken);

    Task<RegisteredFace?> FindFaceAsync(string faceId, CancellationToken cancellationToken);

    /// <summary>The face indexed from this image, if any: how bulk import and the S3 function stay idempotent.</summary>
    Task<RegisteredFace?> FindFaceByImageKeyAsync(FaceImageKey imageKey, CancellationToken cancellationToken);

    Task<IReadOnlyList<RegisteredFace>> GetFacesAsync(Guid personId, CancellationToken cancellationToken);

    Task<PagedResult<PersonSummary>> ListPeopleAsync(PeopleQuery query, CancellationToken cancellationToken);

    Task<long> CountPeopleAsync(CancellationToken cancellationToken);

    Task SetAdminAsync(Guid personId, bool isAdmin, CancellationToken cancellationToken);

    /// <summary>Sets the last sign-in and, since a success ends a run of failures, the near-match count back to 0 (<see cref="RecordNearMatchAsync"/>).</summary>
    Task RecordSignInAsync(Guid personId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Ends every session of the person: raises <see cref="Person.SessionVersion"/> by one, atomically, so every sign-in issued
    /// before (other browsers, other tabs' pages, a copied cookie) no longer matches. Does nothing for a person who does not exist.
    /// </summary>
    Task EndSessionsAsync(Guid personId, CancellationToken cancellationToken);

    /// <summary>Removes the person and all their face records; their login attempts lose the link to them. False when missing.</summary>
    Task<bool> DeletePersonAsync(Guid personId, CancellationToken cancellationToken);

    /// <summary>Removes one face record (used to undo a half-done registration). False when missing.</summary>
    Task<bool> DeleteFaceAsync(string faceId, CancellationToken cancellationToken);

    /// <summary>Records a decided attempt; if it was started with <see cref="TryStartLoginAttemptAsync"/>, this ends it.</summary>
    Task AddLoginAttemptAsync(LoginAttempt attempt, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<PagedResult<LoginAttempt>> ListLoginAttemptsAsync(PageRequest page, CancellationToken cancellationToken);

    /// <summary>
    /// Attempts from one client address since a time that count towards lock-out, as recorded (for reports; lock-out uses
    /// <see cref="TryStartLoginAttemptAsync"/>). "Failed" is the sign-in view: sign-ups that reached the face search count too.
    /// </summary>
    /// <remarks>Counts the outcomes for which <see cref="LoginOutcomeExtensions.CountsTowardsLockOut"/> is true.</remarks>
    Task<int> CountFailedAttemptsAsync(string clientAddress, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>
    /// The address throttle's gate, atomic and strongly consistent across processes: reads the misses of
    /// <paramref name="clientAddress"/> that still count (recorded <see cref="LoginOutcomeExtensions.CountsTowardsLockOut"/>
    /// outcomes since <see cref="AddressThrottle.MissesSince"/>, and attempts in progress since
    /// <see cref="AddressThrottle.InProgressSince"/>) and the start of its newest face question (of any outcome, or in progress),
    /// asks <see cref="AddressThrottle.Decide"/>, and when admitted records attempt <paramref name="attemptId"/> as in progress at
    /// <paramref name="at"/>, all in one step; when refused records nothing. <see cref="AddLoginAttemptAsync"/> with the same id
    /// ends it, so a burst of concurrent attempts is admitted exactly as if they came one by one. One that never ends (a crash,
    /// an error) counts as a miss until it is older than <see cref="AuthenticationOptions.MaxRequestAge"/>.
    /// </summary>
    Task<ThrottleDecision> TryStartLoginAttemptAsync(Guid attemptId, string clientAddress, DateTimeOffset at, AddressThrottle throttle, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the attempts in progress that started before <paramref name="startedBefore"/>: requests that died (a crash, a
    /// restart) and will never be recorded. Deleted rather than recorded: nothing was decided, so the attempt log has nothing to
    /// say, and they already stopped counting. Called at start-up and by the reconcile command. Returns how many it deleted.
    /// </summary>
    Task<int> ExpireLoginAttemptsInProgressAsync(DateTimeOffset startedBefore, CancellationToken cancellationToken);

    /// <summary>
    /// Counts a failed sign-in whose best candidate was this person (a near-match), atomically, so concurrent ones all count; when
    /// the count reaches <paramref name="suspendAfter"/> the person's face sign-in is suspended as of <paramref name="at"/>
    /// (<see cref="Person.FaceSignInSuspendedAt"/>). Returns whether it is suspended now. Does nothing for a person who does not
    /// exist (false). <see cref="RecordSignInAsync"/> sets the count back to 0.
    /// </summary>
    Task<bool> RecordNearMatchAsync(Guid personId, DateTimeOffset at, int suspendAfter, CancellationToken cancellationToken);

    /// <summary>An admin's "re-enable face sign-in": ends the suspension and sets the near-match count to 0. Does nothing for a person who does not exist.</summary>
    Task EnableFaceSignInAsync(Guid personId, CancellationToken cancellationToken);

    /// <summary>
    /// How many people carry the admin flag: what "never demote the last admin" is decided on.
    /// The default pages through <see cref="ListPeopleAsync"/>, which is correct for any directory;
    /// a directory that can count in one query overrides it.
    /// </summary>
    async Task<long> CountAdminsAsync(CancellationToken cancellationToken)
    {
        long admins = 0;
        for (var page = 0; ; page++)
        {
            var result = await ListPeopleAsync(new PeopleQuery(page, PageRequest.MaxPageSize, Search: null), cancellationToken).ConfigureAwait(false);
            admins += result.Items.Count(summary => summary.Person.IsAdmin);
            if (result.Items.Count < PageRequest.MaxPageSize)
            {
                return admins;
            }
        }
    }
}

/// <param name="ConsentVersion">Which consent text the person agreed to (see the sign-up page).</param>
public sealed record Person(
    Guid Id,
    string FullName,
    DateTimeOffset RegisteredAt,
    DateTimeOffset ConsentedAt,
    string ConsentVersion,
    bool IsAdmin,
    DateTimeOffset? LastSignInAt)
{
    /// <summary>
    /// Which of the person's sessions are valid: a sign-in remembers the version it was issued at and is honoured only while it
    /// is still the current one. 0 for a new person (a person is stored with the version given); raised by
    /// <see cref="IFaceDirectory.EndSessionsAsync"/> (signing out).
    /// </summary>
    public long SessionVersion { get; init; }

    /// <summary>Near-matches since the last successful sign-in (<see cref="IFaceDirectory.RecordNearMatchAsync"/>).</summary>
    public int FailedNearMatches { get; init; }

    /// <summary>When face sign-in was suspended after too many near-matches; null while it is allowed. Only an admin ends it.</summary>
    public DateTimeOffset? FaceSignInSuspendedAt { get; init; }

    public bool IsFaceSignInSuspended => FaceSignInSuspendedAt is not null;
}

/// <summary>A face in the collection and whom it belongs to.</summary>
public sealed record RegisteredFace(string FaceId, Guid PersonId, FaceImageKey ImageKey, BoundingBox Box, DateTimeOffset IndexedAt);

public sealed record PersonSummary(Person Person, int FaceCount, RegisteredFace? FirstFace);

public enum LoginOutcome
{
    SignedIn,
    NoFace,
    MultipleFaces,
    PoorQuality,
    NotRecognised,
    LockedOut,
    BadImage,
    /// <summary>
    /// A sign-up from the page that registered a new person (recorded so the attempt log shows both doors). It counts towards
    /// lock-out: the duplicate search answered "not registered" (see <see cref="LoginOutcomeExtensions.CountsTowardsLockOut"/>).
    /// </summary>
    SignedUp,
    /// <summary>
    /// A sign-up refused because the face matches a registered person: the same question a sign-in asks, so it counts
    /// towards lock-out like <see cref="NotRecognised"/> (see <see cref="LoginOutcomeExtensions.CountsTowardsLockOut"/>).
    /// </summary>
    AlreadyRegistered,
    /// <summary>
    /// The face matched a person whose face sign-in is suspended (too many near-matches): not signed in. A face question
    /// answered, so it counts towards the address's delay (<see cref="LoginOutcomeExtensions.CountsTowardsLockOut"/>).
    /// </summary>
    Suspended,
    /// <summary>
    /// A sign-in at a delayed address through a known device (<see cref="Authentication.AuthenticationRequest.KnownDevicePersonId"/>):
    /// the face was verified as the device's own person. The person is told "signed in"; the address's ledger ignores it (neither a
    /// miss nor a question of its lane), so people signing in on their own devices never delay anybody else at the address.
    /// </summary>
    SignedInOnKnownDevice,
    /// <summary>
    /// A known device's attempt at a delayed address whose face was not the device's person (told "not recognised"). It counts
    /// against that person (their near-match count, so a copied device cookie gets at most the per-person cap of tries), not
    /// against the address.
    /// </summary>
    KnownDeviceNotRecognised,
    /// <summary>
    /// Not taken for a live person (liveness, docs/liveness.md): the head-movement challenge was not followed, or the burst looked
    /// like a photo or a screen. Counted like a face question that found nobody (<see cref="LoginOutcomeExtensions.CountsTowardsLockOut"/>),
    /// so that presenting attacks costs the address the same delay as guessing faces. Which check refused is kept in the log
    /// (<see cref="LoginAttempt.LivenessRefusal"/>), never told to the client.
    /// </summary>
    NotLive,
}

/// <param name="Similarity">The best match's similarity (0..100) when a face was searched, else null.</param>
public sealed record LoginAttempt(
    Guid Id,
    DateTimeOffset At,
    LoginOutcome Outcome,
    Guid? PersonId,
    float? Similarity,
    string ClientAddress)
{
    /// <summary>For <see cref="LoginOutcome.NotLive"/>: which liveness check refused (for admins and tuning; never shown to the client).</summary>
    public Faces.Liveness.LivenessRefusal? LivenessRefusal { get; init; }
}

/// <param name="Page">0-based.</param>
public sealed record PageRequest(int Page, int PageSize)
{
    public const int MaxPageSize = 200;

    public int Skip => checked(Page * PageSize);

    /// <summary>
    /// How many items come before this page, for directories to skip: never negative and never overflowing, so a huge page number
    /// is just a page past the end (empty) instead of an error or, with wrapping arithmetic, page 0.
    /// </summary>
    public long Offset => (long)Math.Max(0, Page) * Math.Clamp(PageSize, 1, MaxPageSize);

    /// <summary><see cref="PageSize"/> within 1..<see cref="MaxPageSize"/>.</summary>
    public int Limit => Math.Clamp(PageSize, 1, MaxPageSize);
}

public sealed record PeopleQuery(int Page, int PageSize, string? Search);

public sealed record PagedResult<T>(IReadOnlyList<T> Items, long TotalCount);

/// <summary>A write refused because the item exists already (or, for a face, the person does not).</summary>
public sealed class DirectoryConflictException(string message) : Exception(message);
