using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Registration;

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

public sealed record ImportItemResult(ImportEntry Entry, ImportOutcome Outcome, string? Reason = null);

public sealed record ImportSummary(IReadOnlyList<ImportItemResult> Items)
{
    public int Count(ImportOutcome outcome) => Items.Count(i => i.Outcome == outcome);
}

/// <summary>
/// The seed's upload script on the domain's ports: each photo goes into the configured image store with the person's
/// name in its metadata, then through <see cref="RegistrationService.RegisterStoredImageAsync"/> — exactly what the
/// S3-upload function does with an uploaded object, so import and function register alike in every mode.
/// Ids are deterministic (<see cref="ImportIds"/>), so a second run finds every imported photo and skips it.
/// </summary>
public sealed class FaceImporter(IFaceImageStore images, IFaceDirectory directory, RegistrationService registration)
{
    /// <summary>Files above this are refused unread; the engines refuse far smaller images anyway.</summary>
    public const long MaxFileBytes = 50L * 1024 * 1024;

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

        var file = new FileInfo(entry.Path);
        if (!file.Exists)
        {
            return new ImportItemResult(entry, ImportOutcome.Rejected, "file not found");
        }

        if (file.Length > MaxFileBytes)
        {
            return new ImportItemResult(entry, ImportOutcome.Rejected, $"BadImage: larger than {MaxFileBytes / (1024 * 1024)} MB");
        }

        try
        {
            var bytes = await File.ReadAllBytesAsync(entry.Path, cancellationToken);
            var key = ImportIds.KeyFor(fullName, bytes);
            if (await directory.FindFaceByImageKeyAsync(key, cancellationToken) is not null)
            {
                return new ImportItemResult(entry, ImportOutcome.AlreadyImported);
            }

            await images.PutAsync(key, bytes, new FaceImageMetadata(fullName, key.PersonId, ImageContentType.Sniff(bytes)), cancellationToken);
            var result = await registration.RegisterStoredImageAsync(key, cancellationToken);
            return result.Status switch
            {
                RegistrationStatus.Registered => new ImportItemResult(entry, ImportOutcome.Imported),
                RegistrationStatus.AlreadyImported => new ImportItemResult(entry, ImportOutcome.AlreadyImported),
                RegistrationStatus.AlreadyRegistered => new ImportItemResult(entry, ImportOutcome.Duplicate, "the face is already registered to someone else"),
                RegistrationStatus.Failed => new ImportItemResult(entry, ImportOutcome.Failed, result.Message),
                _ => new ImportItemResult(entry, ImportOutcome.Rejected, Reason(result)),
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new ImportItemResult(entry, ImportOutcome.Failed, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private static string Reason(RegistrationResult result)
    {
        var detail = result.ImageProblem?.ToString()
            ?? (result.Reasons is { Count: > 0 } reasons ? string.Join(", ", reasons) : null);
        return detail is null ? $"{result.Status}: {result.Message}" : $"{result.Status} ({detail}): {result.Message}";
    }
}
