using FaceLogin.Tests.Support;

namespace FaceLogin.Tests.Local;

/// <summary><c>import</c> in local mode (files, SQLite, the local engine) on lfw-dev photos; a re-run skips everything.</summary>
public sealed class ImportLfwLocalTests : IDisposable
{
    private readonly ImportFolder _folder = new();

    [Fact]
    public async Task Lfw_photos_are_imported_locally_and_a_second_run_skips_them()
    {
        LfwImportRun.FillFolder(_folder);
        using var host = LfwImportRun.BuildDomain(new Dictionary<string, string?>
        {
            ["FaceLogin:DataPath"] = Path.Combine(_folder.Root, "data"),
        });

        await LfwImportRun.AssertImportsAndResumesAsync(host, _folder, TestContext.Current.CancellationToken);
    }

    public void Dispose() => _folder.Dispose();
}
