using FaceLogin.Domain.DependencyInjection;
using FaceLogin.Domain.Local.Stores;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Reconciliation;
using Microsoft.Extensions.DependencyInjection;

namespace FaceLogin.Tests.Support;

/// <summary>
/// What the crash tests run and check, in either mode: the <c>import</c> and <c>reconcile</c> verbs in child processes, and
/// what the stores hold afterwards (the directory, the collection, and the image store's files or objects).
/// </summary>
public static class CrashLeftovers
{
    /// <summary>What .NET reports for a child killed by SIGKILL (128 + 9), as <see cref="CrashPoint"/> kills.</summary>
    public const int Killed = 137;

    /// <summary>The person's <paramref name="ordinal"/>-th lfw-dev photo (1-based) in file-name order.</summary>
    public static string LfwPhoto(string person, int ordinal) =>
        Directory.GetFiles(Path.Combine(TestEnvironment.RequireDataset(), person), "*.jpg").Order(StringComparer.Ordinal).ElementAt(ordinal - 1);

    /// <param name="Files">Local mode: every file under the image folder, relative to it; S3: every image key.</param>
    public sealed record Stores(
        IReadOnlyList<Guid> People,
        IReadOnlyDictionary<Guid, IReadOnlyList<RegisteredFace>> Records,
        IReadOnlyList<FaceRecord> CollectionFaces,
        IReadOnlyList<string> Files);

    public static Task<(int ExitCode, string Output, string Errors)> ImportAsync(
        Dictionary<string, string?> settings, string folder, string? crashPoint, CancellationToken cancellationToken) =>
        WebCommand.RunAsync(new Dictionary<string, string?>(settings) { [CrashPoint.VariableName] = crashPoint }, ["import", folder], cancellationToken);

    /// <summary>Runs <c>reconcile</c> (with <paramref name="flag"/>) in a child process; its output, after checking it exited 0.</summary>
    public static async Task<string> ReconcileAsync(Dictionary<string, string?> settings, CancellationToken cancellationToken, string? flag = null)
    {
        var (exitCode, output, errors) = await WebCommand.RunAsync(settings, flag is null ? ["reconcile"] : ["reconcile", flag], cancellationToken);
        Assert.True(exitCode == 0, $"reconcile {flag} exited with {exitCode}:\n{output}\n{errors}");
        return output;
    }

    public static async Task<Stores> ReadAsync(Dictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        using var host = LfwImportRun.BuildDomain(settings);
        await FaceLoginStartup.InitializeAsync(host.Services, cancellationToken);
        var directory = host.Services.GetRequiredService<IFaceDirectory>();
        var people = (await directory.ListPeopleAsync(new PeopleQuery(0, PageRequest.MaxPageSize, null), cancellationToken)).Items.Select(p => p.Person.Id).ToList();
        var records = new Dictionary<Guid, IReadOnlyList<RegisteredFace>>();
        foreach (var person in people)
        {
            records[person] = await directory.GetFacesAsync(person, cancellationToken);
        }

        var faces = (await host.Services.GetRequiredService<IFaceCollection>().ListFacesAsync(null, 4096, cancellationToken)).Faces;
        var files = host.Services.GetRequiredService<IFaceImageStore>() is FileSystemFaceImageStore local
            ? FilesUnder(local.Root)
            : await host.Services.GetRequiredService<IFaceImageStore>().ListAsync(cancellationToken).Select(i => i.Key.Value).Order(StringComparer.Ordinal).ToListAsync(cancellationToken);
        return new Stores(people, records, faces, files);
    }

    /// <summary>
    /// No photo or sidecar without a person, no face without a person, no person without a face, no face record whose face
    /// is not in the collection.
    /// </summary>
    public static void AssertNothingLeftBehind(Stores stores)
    {
        var recorded = stores.Records.Values.SelectMany(r => r).ToList();
        var expectedFiles = recorded.SelectMany(r => new[] { r.ImageKey.Value, Path.ChangeExtension(r.ImageKey.Value, ".json") }).ToHashSet(StringComparer.Ordinal);
        Assert.All(stores.Files, file => Assert.Contains(file, expectedFiles));
        Assert.All(stores.CollectionFaces, f => Assert.Contains(recorded, r => r.FaceId == f.FaceId));
        Assert.All(stores.People, p => Assert.NotEmpty(stores.Records[p]));
        Assert.All(recorded, r => Assert.Contains(stores.CollectionFaces, f => f.FaceId == r.FaceId && f.ExternalImageId == r.PersonId.ToString("N")));
    }

    private static List<string> FilesUnder(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f)).Order(StringComparer.Ordinal).ToList()
            : [];
}
