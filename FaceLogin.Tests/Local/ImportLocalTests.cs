using FaceLogin.Domain.Local.Stores;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Registration;
using FaceLogin.Tests.Support;
using FaceLogin.Web.Cli.Import;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FaceLogin.Tests.Local;

/// <summary>
/// <c>import</c> in local mode on real files and a real SQLite file, from a CSV; the face collection is the
/// <see cref="FakeFaceCollection"/> double until the local engine is merged into this branch.
/// </summary>
public sealed class ImportLocalTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly ImportFolder _folder = new();
    private readonly FakeFaceCollection _faces = new();
    private readonly SqliteFaceDirectory _directory;
    private readonly FileSystemFaceImageStore _images;

    public ImportLocalTests()
    {
        _directory = new SqliteFaceDirectory(Path.Combine(_folder.Root, "data", "facelogin.db"), new SqliteDirectoryOptions(), TimeProvider.System, NullLogger<SqliteFaceDirectory>.Instance);
        _images = new FileSystemFaceImageStore(Path.Combine(_folder.Root, "data", "images"), TimeProvider.System);
    }

    private FaceImporter Importer() => new(_images, _directory, new RegistrationService(
        _faces, _images, _directory, Options.Create(new RegistrationOptions()), TimeProvider.System, NullLogger<RegistrationService>.Instance));

    [Fact]
    public async Task A_csv_is_imported_and_a_second_run_skips_everything()
    {
        _folder.Add("photos", "ann1.jpg", FakeFaceImages.Of("red"));
        _folder.Add("photos", "ann2.jpg", FakeFaceImages.With(new FakeFace("red", new FaceLogin.Domain.Faces.BoundingBox(0.2f, 0.2f, 0.5f, 0.5f))));
        _folder.Add("photos", "obrien.jpg", FakeFaceImages.Of("blue"));
        var csv = Path.Combine(_folder.Root, "people.csv");
        await File.WriteAllTextAsync(csv, "file,full name\nphotos/ann1.jpg,Ann Smith\nphotos/ann2.jpg,  ann smith \nphotos/obrien.jpg,\"O'Brien, Seán\"\n", Ct);
        var entries = ImportSource.FromCsv(_folder.Root, csv);

        var first = await Importer().ImportAsync(entries, parallelism: 3, progress: null, Ct);
        var second = await Importer().ImportAsync(entries, parallelism: 3, progress: null, Ct);

        Assert.Equal([ImportOutcome.Imported, ImportOutcome.Imported, ImportOutcome.Imported], first.Items.Select(i => i.Outcome));
        Assert.Equal(3, second.Count(ImportOutcome.AlreadyImported));
        Assert.Equal(2, await _directory.CountPeopleAsync(Ct));
        Assert.Equal("O'Brien, Seán", (await _directory.GetPersonAsync(ImportIds.PersonId("O'Brien, Seán"), Ct))?.FullName);
        Assert.Equal(2, (await _directory.GetFacesAsync(ImportIds.PersonId("Ann Smith"), Ct)).Count);
        Assert.Equal(3, _faces.FaceIds().Length);
    }

    public void Dispose()
    {
        _directory.Dispose();
        _folder.Dispose();
    }
}
