using FaceLogin.Domain.Authentication;
using FaceLogin.Domain.Faces.Cost;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Reconciliation;
using FaceLogin.Domain.Registration;
using Microsoft.Extensions.Options;

namespace FaceLogin.Web.Cli.Import;

public enum ImportOutcome
{
    Imported,
    /// <summary>This very photo of this person was imported before (a re-run): nothing was uploaded.</summary>
    AlreadyImported,
    /// <summary>The face is somebody else's, already registered.</summary>
    Duplicate,
    Rejected,
    /// <summary>A storage step failed; running the import again finishes it.</summary>
    Failed,
}

/// <param name="Warning">Set on an imported photo that may belong to someone else (see <see cref="FaceImporter"/>).</param>
public sealed record ImportItemResult(ImportEntry Entry, ImportOutcome Outcome, string? Reason = null, string? Warning = null);

public sealed record ImportSummary(IReadOnlyList<ImportItemResult> Items)
{
    public int Count(ImportOutcome outcome) => Items.Count(i => i.Outcome == outcome);

    public IEnumerable<ImportItemResult> Warnings => Items.Where(i => i.Warning is not null);
}

/// <summary>
/// The seed's upload script on the domain's ports: each photo goes into the configured image store with the person's
/// name in its metadata, then through <see cref="RegistrationService.RegisterStoredImageAsync(FaceImageKey, CancellationToken)"/> — exactly what the
/// S3-upload function does with an uploaded object, so import and function register alike in every mode.
/// Ids are deterministic (<see cref="ImportIds"/>), so a second run finds every imported photo and skips it.
/// </summary>
/// <remarks>
/// A person's import key is the operator's (a folder, a CSV id), so a photo added to a person with faces already is
/// searched against them: when it matches none of them at the sign-in threshold, it is imported but reported as a
/// possible name clash (two people under one folder, id or name), for the operator to look at. It is not refused:
/// people change (glasses, age, light), and the threshold decides sign-in, not identity.
/// </remarks>
public sealed class FaceImporter(
    IFaceImageStore images,
    IFaceDirectory directory,
    IFaceCollection faces,
    RegistrationService registration,
    IOptions<ImageBudgetOptions> imageBudgets,
    IOptions<AuthenticationOptions> authentication)
{
    /// <summary>Room in the clash search for faces other than the person's (leftovers, near look-alikes).</summary>
    private const int ExtraClashCandidates = 5;

    /// <summary>Rekognition's SearchFacesByImage returns at most this many matches.</summary>
    private const int MaxSearchFaces = 4096;

    /// <summary>
    /// Files above this are refused unread: the import door's byte limit (<c>FaceLogin:ImageBudgets:Import:MaxBytes</c>, 5 MB,
    /// what Rekognition takes), which registration applies too, so nothing is read or uploaded only to be refused.
    /// </summary>
    public long MaxFileBytes { get; } = imageBudgets.Value.Import.MaxBytes;

    public async Task<ImportSummary> ImportAsync(
        IReadOnlyList<ImportEntry> entries, int parallelism, IProgress<ImportItemResult>? progress, CancellationToken cancellationToken)
    {
        var results = new ImportItemResult[entries.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, entries.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken },
            async (index, ct) =>
            {
                var result = await ImportOneAsync(entries[index], ct);
                results[index] = result;
                progress?.Report(result);
            });
        return new ImportSummary(results);
    }

    private async Task<ImportItemResult> ImportOneAsync(ImportEntry entry, CancellationToken cancellationToken)
    {
        if (!PersonName.TryNormalize(entry.FullName, out var fullName, out var nameProblem))
        {
            return new ImportItemResult(entry, ImportOutcome.Rejected, $"InvalidName: {nameProblem}");
        }

        FaceImageKey? uploaded = null;
        try
        {
            var bytes = await ReadAtMostAsync(entry.Path, cancellationToken).ConfigureAwait(false);
            if (bytes is null)
            {
                return new ImportItemResult(entry, ImportOutcome.Rejected, $"BadImage (TooLarge): larger than {MaxFileBytes:N0} bytes");
            }

            var key = FaceImageKey.For(entry.PersonId, ImportIds.ImageId(bytes));
            if (await directory.FindFaceByImageKeyAsync(key, cancellationToken).ConfigureAwait(false) is not null)
            {
                return new ImportItemResult(entry, ImportOutcome.AlreadyImported);
            }

            await images.PutAsync(key, bytes, new FaceImageMetadata(fullName, key.PersonId, ImageContentType.Sniff(bytes)), cancellationToken)
                .ConfigureAwait(false);
            uploaded = key;
            CrashPoint.Reach("import:after-image");
            var result = await registration.RegisterStoredImageAsync(key, ImageDoor.Import, cancellationToken).ConfigureAwait(false);
            return result.Status switch
            {
                RegistrationStatus.Registered => new ImportItemResult(entry, ImportOutcome.Imported,
                    Warning: await CheckNameClashAsync(bytes, result.Face!, cancellationToken).ConfigureAwait(false)),
                RegistrationStatus.AlreadyImported => new ImportItemResult(entry, ImportOutcome.AlreadyImported),
                RegistrationStatus.AlreadyRegistered => new ImportItemResult(entry, ImportOutcome.Duplicate, "the face is already registered to someone else"),
                RegistrationStatus.Failed or RegistrationStatus.StorageFull => new ImportItemResult(entry, ImportOutcome.Failed, result.Message + await DiscardUnregisteredCopyAsync(key)),
                _ => new ImportItemResult(entry, ImportOutcome.Rejected, Reason(result)),
            };
        }
        catch (FileNotFoundException)
        {
            return new ImportItemResult(entry, ImportOutcome.Rejected, "file not found");
        }
        catch (DirectoryNotFoundException)
        {
            return new ImportItemResult(entry, ImportOutcome.Rejected, "file not found");
        }
        catch (OperationCanceledException) when (uploaded is { } copy)
        {
            // Stopped between the upload and the end of registration (Ctrl-C): the copy is not left behind either.
            await DiscardUnregisteredCopyAsync(copy).ConfigureAwait(false);
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var discarded = uploaded is { } copy ? await DiscardUnregisteredCopyAsync(copy).ConfigureAwait(false) : "";
            return new ImportItemResult(entry, ImportOutcome.Failed, $"{ex.GetType().Name}: {ex.Message}{discarded}");
        }
    }

    /// <summary>
    /// Removes the copy this run uploaded of a photo whose registration did not finish. The source file is still on disk and a
    /// re-run uploads it again, so the copy would only be a photo of the person, with their name in its metadata, that nothing
    /// records. Returns a note for the summary when it could not be removed (deleting the person removes it then).
    /// </summary>
    private async Task<string> DiscardUnregisteredCopyAsync(FaceImageKey key)
    {
        try
        {
            // The key is the photo's hash: another import of the same photo may have registered it meanwhile, and then it stays.
            if (await directory.FindFaceByImageKeyAsync(key, CancellationToken.None).ConfigureAwait(false) is null)
            {
                await images.DeleteAsync(key, CancellationToken.None).ConfigureAwait(false);
            }

            return "";
        }
        catch (Exception ex)
        {
            return $" (the uploaded copy could not be removed: {ex.GetType().Name}; deleting the person removes it)";
        }
    }

    /// <summary>The file's bytes, or null when it is larger than <see cref="MaxFileBytes"/>; never reads more than that.</summary>
    private async Task<byte[]?> ReadAtMostAsync(string path, CancellationToken cancellationToken)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous);
        var length = RandomAccess.GetLength(file);
        if (length > MaxFileBytes)
        {
            return null;
        }

        // Exactly the length seen when opened: a file that grows meanwhile is read no further (and then fails to decode).
        var bytes = new byte[length];
        var done = 0;
        while (done < bytes.Length)
        {
            var read = await RandomAccess.ReadAsync(file, bytes.AsMemory(done), done, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return bytes[..done];
            }

            done += read;
        }

        return bytes;
    }

    /// <summary>
    /// A warning when the person had faces before this one and the photo matches none of them at the sign-in threshold.
    /// Registration runs one at a time, so of two photos of one person imported in parallel the later one sees the earlier.
    /// </summary>
    private async Task<string?> CheckNameClashAsync(byte[] image, RegisteredFace added, CancellationToken cancellationToken)
    {
        try
        {
            var earlier = (await directory.GetFacesAsync(added.PersonId, cancellationToken).ConfigureAwait(false))
                .Select(f => f.FaceId)
                .Where(id => id != added.FaceId)
                .ToHashSet(StringComparer.Ordinal);
            if (earlier.Count == 0)
            {
                return null;
            }

            var search = await faces.SearchFacesByImageAsync(
                image, authentication.Value.MatchThreshold, Math.Min(MaxSearchFaces, earlier.Count + 1 + ExtraClashCandidates), cancellationToken).ConfigureAwait(false);
            return search.Matches.Any(m => earlier.Contains(m.Face.FaceId))
                ? null
                : $"possible name clash: the photo matches none of the person's {earlier.Count} other photo(s); " +
                  "if they are two people, give them different folders or CSV ids, then delete the person and import again";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return $"imported, but could not check for a name clash ({ex.GetType().Name})";
        }
    }

    private static string Reason(RegistrationResult result)
    {
        var detail = result.ImageProblem?.ToString()
            ?? (result.Reasons is { Count: > 0 } reasons ? string.Join(", ", reasons) : null);
        return detail is null ? $"{result.Status}: {result.Message}" : $"{result.Status} ({detail}): {result.Message}";
    }
}
