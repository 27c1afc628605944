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

    /// <summary>Adds a person together with their first face, atomically. Throws <see cref="DirectoryConflictException"/> if either exists.</summary>
    Task AddPersonAsync(Person person, RegisteredFace firstFace, CancellationToken cancellationToken);

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

    Task RecordSignInAsync(Guid personId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Removes the person and all their face records; their login attempts lose the link to them. False when missing.</summary>
    Task<bool> DeletePersonAsync(Guid personId, CancellationToken cancellationToken);

    /// <summary>Removes one face record (used to undo a half-done registration). False when missing.</summary>
    Task<bool> DeleteFaceAsync(string faceId, CancellationToken cancellationToken);

    Task AddLoginAttemptAsync(LoginAttempt attempt, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<PagedResult<LoginAttempt>> ListLoginAttemptsAsync(PageRequest page, CancellationToken cancellationToken);

    /// <summary>Failed attempts from one client address since a time: what lock-out is decided on.</summary>
    /// <remarks>Counts the outcomes for which <see cref="LoginOutcomeExtensions.CountsTowardsLockOut"/> is true.</remarks>
    Task<int> CountFailedAttemptsAsync(string clientAddress, DateTimeOffset since, CancellationToken cancellationToken);

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
    DateTimeOffset? LastSignInAt);

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
}

/// <param name="Similarity">The best match's similarity (0..100) when a face was searched, else null.</param>
public sealed record LoginAttempt(
    Guid Id,
    DateTimeOffset At,
    LoginOutcome Outcome,
    Guid? PersonId,
    float? Similarity,
    string ClientAddress);

/// <param name="Page">0-based.</param>
public sealed record PageRequest(int Page, int PageSize)
{
    public const int MaxPageSize = 200;

    public int Skip => checked(Page * PageSize);
}

public sealed record PeopleQuery(int Page, int PageSize, string? Search);

public sealed record PagedResult<T>(IReadOnlyList<T> Items, long TotalCount);

/// <summary>A write refused because the item exists already (or, for a face, the person does not).</summary>
public sealed class DirectoryConflictException(string message) : Exception(message);
