using FaceLogin.Domain.Ports;

namespace FaceLogin.Domain.Administration;

/// <summary>What the admin and account pages do: list people and attempts, delete a person everywhere, promote admins, serve thumbnails.</summary>
public sealed class AdministrationService
{
    public Task<PagedResult<PersonSummary>> ListPeopleAsync(PeopleQuery query, CancellationToken cancellationToken) =>
        throw new NotImplementedException("Owned by the domain-services work.");

    public Task<PersonView?> GetPersonAsync(Guid personId, CancellationToken cancellationToken) =>
        throw new NotImplementedException("Owned by the domain-services work.");

    /// <summary>Deletes the person's images, faces in the collection and directory records. False when the person does not exist.</summary>
    public Task<bool> DeletePersonAsync(Guid personId, CancellationToken cancellationToken) =>
        throw new NotImplementedException("Owned by the domain-services work.");

    public Task<PagedResult<LoginAttempt>> ListLoginAttemptsAsync(PageRequest page, CancellationToken cancellationToken) =>
        throw new NotImplementedException("Owned by the domain-services work.");

    /// <summary>Admin if flagged in the directory or named in FaceLogin:Admins.</summary>
    public Task<bool> IsAdminAsync(Guid personId, CancellationToken cancellationToken) =>
        throw new NotImplementedException("Owned by the domain-services work.");

    public Task<bool> SetAdminAsync(Guid personId, bool isAdmin, CancellationToken cancellationToken) =>
        throw new NotImplementedException("Owned by the domain-services work.");

    /// <summary>The face cut from a stored image and scaled down, as JPEG; null when there is no such face of that person.</summary>
    public Task<FaceThumbnail?> GetThumbnailAsync(Guid personId, string faceId, int maxSide, CancellationToken cancellationToken) =>
        throw new NotImplementedException("Owned by the domain-services work.");
}
