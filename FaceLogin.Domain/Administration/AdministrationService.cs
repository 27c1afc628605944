using FaceLogin.Domain.DependencyInjection;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Reconciliation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaceLogin.Domain.Administration;

/// <summary>What the admin and account pages do: list people and attempts, delete a person everywhere, promote admins, serve thumbnails.</summary>
public sealed class AdministrationService(
    IFaceCollection faces,
    IFaceImageStore images,
    IFaceDirectory directory,
    IOptions<FaceLoginOptions> options,
    ILogger<AdministrationService> logger,
    IFaceCollectionFactory? collections = null,
    ICollectionGenerations? generations = null)
{
    public const int MinThumbnailSide = 16;
    public const int MaxThumbnailSide = 1024;

    /// <summary>The highest page asked of a directory: page × page size stays within an int for every page size.</summary>
    private const int MaxPage = int.MaxValue / PageRequest.MaxPageSize;

    /// <summary>Longer searches are cut: no name is longer (see <c>PersonName.MaxLength</c>, with room for combining marks).</summary>
    private const int MaxSearchLength = 400;

    /// <summary>Serialises admin-flag changes in this process, so two demotions at once cannot remove the last two admins.</summary>
    private readonly SemaphoreSlim _adminGate = new(1, 1);

    public Task<PagedResult<PersonSummary>> ListPeopleAsync(PeopleQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var search = query.Search?.Trim();
        if (search is { Length: > MaxSearchLength })
        {
            search = search[..MaxSearchLength];
        }

        var (page, pageSize) = Clamp(query.Page, query.PageSize);
        return directory.ListPeopleAsync(new PeopleQuery(page, pageSize, string.IsNullOrEmpty(search) ? null : search), cancellationToken);
    }

    public async Task<PersonView?> GetPersonAsync(Guid personId, CancellationToken cancellationToken)
    {
        var person = await directory.GetPersonAsync(personId, cancellationToken).ConfigureAwait(false);
        if (person is null)
        {
            return null;
        }

        var registered = await directory.GetFacesAsync(personId, cancellationToken).ConfigureAwait(false);
        return new PersonView(person, IsAdmin(person), registered.Count, registered);
    }

    /// <summary>Deletes the person's images, faces in the collection and directory records. False when the person does not exist.</summary>
    /// <remarks>
    /// Order: faces in the collection first (after that nobody can be recognised as this person), then the images, and the
    /// directory record last. Every step is idempotent and the directory record is what finds the rest, so if a step fails
    /// the person is still listed and deleting again finishes the job; deleting the record first would instead leave images
    /// and faces that nothing points to any more. The collection is also searched for faces indexed under the person's id that
    /// the directory never recorded (a registration that crashed between indexing and the directory write).
    /// </remarks>
    public async Task<bool> DeletePersonAsync(Guid personId, CancellationToken cancellationToken)
    {
        if (await directory.GetPersonAsync(personId, cancellationToken).ConfigureAwait(false) is null)
        {
            return false;
        }

        // The search for faces indexed under the person's id takes every one the directory does not record: under the lease,
        // none of them is another process's registration between its indexing and its directory write.
        await using var lease = await directory.HoldPersonLeaseAsync(personId, cancellationToken).ConfigureAwait(false);
        var registered = await directory.GetFacesAsync(personId, cancellationToken).ConfigureAwait(false);
        var faceIds = registered.Select(f => f.FaceId)
            .Union(await faces.FindFaceIdsByExternalImageIdAsync(personId.ToString("N"), cancellationToken).ConfigureAwait(false), StringComparer.Ordinal)
            .ToArray();
        if (faceIds.Length > 0)
        {
            await faces.DeleteFacesAsync(faceIds, cancellationToken).ConfigureAwait(false);
        }

        await DeleteFromOtherCollectionsAsync(personId, cancellationToken).ConfigureAwait(false);
        CrashPoint.Reach("deletion:after-faces");

        // The recorded images by key, then a sweep of everything else under the person's id: images nothing records (an
        // upload or import whose registration failed or was stopped, a refused upload whose discard failed).
        var imageCount = 0;
        foreach (var face in registered)
        {
            imageCount += await images.DeleteAsync(face.ImageKey, cancellationToken).ConfigureAwait(false) ? 1 : 0;
        }

        imageCount += await images.DeletePersonImagesAsync(personId, cancellationToken).ConfigureAwait(false);
        CrashPoint.Reach("deletion:after-images");

        var deleted = await directory.DeletePersonAsync(personId, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Deleted person {PersonId}: {FaceCount} faces and {ImageCount} images", personId, faceIds.Length, imageCount);
        return deleted;
    }

    /// <summary>
    /// A person's faces also live in collections other than the served one: those kept after a re-index switched away from
    /// them (until <c>reindex --delete-old</c>), and the one a re-index in progress is building. A deletion reaches them too.
    /// </summary>
    private async Task DeleteFromOtherCollectionsAsync(Guid personId, CancellationToken cancellationToken)
    {
        if (collections is null || generations is null)
        {
            return;
        }

        var active = await generations.ReadActiveGenerationAsync(cancellationToken).ConfigureAwait(false);
        var target = await generations.GetReindexTargetAsync(cancellationToken).ConfigureAwait(false);
        var others = (active?.RetainedCollectionIds ?? [])
            .Append(target?.CollectionId)
            .Append(active?.CollectionId)
            .OfType<string>()
            .Where(id => id != faces.CollectionId)
            .Distinct(StringComparer.Ordinal);
        foreach (var collectionId in others)
        {
            var deleted = await collections.DeleteFacesByExternalImageIdAsync(collectionId, personId.ToString("N"), cancellationToken).ConfigureAwait(false);
            if (deleted > 0)
            {
                logger.LogInformation("Deleted {FaceCount} faces of person {PersonId} from collection {CollectionId}", deleted, personId, collectionId);
            }
        }
    }

    /// <summary>Signs the person out everywhere: every sign-in issued so far stops working at its next check.</summary>
    public Task EndSessionsAsync(Guid personId, CancellationToken cancellationToken) =>
        directory.EndSessionsAsync(personId, cancellationToken);

    /// <summary>
    /// Ends a suspension of the person's face sign-in (too many near-matches in a row) and starts their count afresh. False when
    /// the person does not exist. The page checks the acting person is still an admin before calling, as for the other actions.
    /// </summary>
    public async Task<bool> EnableFaceSignInAsync(Guid personId, CancellationToken cancellationToken)
    {
        if (await directory.GetPersonAsync(personId, cancellationToken).ConfigureAwait(false) is null)
        {
            return false;
        }

        await directory.EnableFaceSignInAsync(personId, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Face sign-in of person {PersonId} re-enabled by an admin", personId);
        return true;
    }

    public Task<PagedResult<LoginAttempt>> ListLoginAttemptsAsync(PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var (number, size) = Clamp(page.Page, page.PageSize);
        return directory.ListLoginAttemptsAsync(new PageRequest(number, size), cancellationToken);
    }

    /// <summary>Admin if flagged in the directory or listed by id in FaceLogin:Admins.</summary>
    public async Task<bool> IsAdminAsync(Guid personId, CancellationToken cancellationToken)
    {
        var person = await directory.GetPersonAsync(personId, cancellationToken).ConfigureAwait(false);
        return person is not null && IsAdmin(person);
    }

    /// <summary>
    /// Sets or clears the person's admin flag. False when the person does not exist, or when clearing it would leave no
    /// person flagged as admin (people listed in <c>FaceLogin:Admins</c> do not count: configuration can change, and then
    /// nobody could promote anybody). A person listed in configuration stays admin whatever their flag.
    /// </summary>
    public async Task<bool> SetAdminAsync(Guid personId, bool isAdmin, CancellationToken cancellationToken)
    {
        await _adminGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var person = await directory.GetPersonAsync(personId, cancellationToken).ConfigureAwait(false);
            if (person is null)
            {
                return false;
            }

            if (person.IsAdmin == isAdmin)
            {
                return true;
            }

            if (!isAdmin && await directory.CountAdminsAsync(cancellationToken).ConfigureAwait(false) <= 1)
            {
                return false;
            }

            await directory.SetAdminAsync(personId, isAdmin, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Person {PersonId} admin flag set to {IsAdmin}", personId, isAdmin);
            return true;
        }
        finally
        {
            _adminGate.Release();
        }
    }

    /// <summary>The face cut from a stored image and scaled down, as JPEG; null when there is no such face of that person.</summary>
    /// <param name="maxSide">Clamped to <see cref="MinThumbnailSide"/>..<see cref="MaxThumbnailSide"/>; never scaled up beyond the stored pixels.</param>
    public async Task<FaceThumbnail?> GetThumbnailAsync(Guid personId, string faceId, int maxSide, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(faceId))
        {
            return null;
        }

        var face = await directory.FindFaceAsync(faceId, cancellationToken).ConfigureAwait(false);
        if (face is null || face.PersonId != personId)
        {
            return null;
        }

        var stored = await images.GetAsync(face.ImageKey, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            logger.LogWarning("Face {FaceId} has no image under {ImageKey}", faceId, face.ImageKey);
            return null;
        }

        var jpeg = FaceThumbnailRenderer.Render(stored.Bytes, face.Box, Math.Clamp(maxSide, MinThumbnailSide, MaxThumbnailSide));
        return jpeg is null ? null : new FaceThumbnail(jpeg);
    }

    /// <summary>By id only: a name is whatever somebody typed at sign-up, so matching one would hand out the admin role.</summary>
    private bool IsAdmin(Person person) => person.IsAdmin || options.Value.IsConfiguredAdmin(person.Id);

    /// <summary>
    /// The page is capped so that <c>page × pageSize</c> cannot overflow in any directory: a huge page number is simply past the
    /// end and comes back empty.
    /// </summary>
    private static (int Page, int PageSize) Clamp(int page, int pageSize) =>
        (Math.Clamp(page, 0, MaxPage), Math.Clamp(pageSize, 1, PageRequest.MaxPageSize));
}
