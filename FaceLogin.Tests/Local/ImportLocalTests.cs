using FaceLogin.Domain.Faces.Cost;
using FaceLogin.Domain.Authentication;
using FaceLogin.Domain.Local.Engine;
using FaceLogin.Domain.Local.Engine.Decoding;
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
/// <see cref="FakeFaceCollection"/> double, so that who matches whom is set exactly (the lfw-dev run with the real
/// engine is <see cref="ImportLfwLocalTests"/>).
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

    private FaceImporter Importer(long maxBytes = 5L * 1024 * 1024) => new(
        _images,
        _directory,
        _faces,
        new RegistrationService(_faces, _images, _directory, Options.Create(new RegistrationOptions()), TimeProvider.System, NullLogger<RegistrationService>.Instance),
        Options.Create(new ImageBudgetOptions { Import = new ImageBudget { MaxBytes = maxBytes, MaxPixels = 40_000_000, MaxProgressiveCoefficientBytes = 96L * 1024 * 1024 } }),
        Options.Create(new AuthenticationOptions()));

    private async Task<IReadOnlyList<ImportEntry>> CsvAsync(string lines)
    {
        var csv = Path.Combine(_folder.Root, "people.csv");
        await File.WriteAllTextAsync(csv, lines, Ct);
        return ImportSource.FromCsv(_folder.Root, csv);
    }

    private static FakeFace Shifted(string identity) => new(identity, new FaceLogin.Domain.Faces.BoundingBox(0.2f, 0.2f, 0.5f, 0.5f));

    [Theory]
    [MemberData(nameof(NameDoorCases.All), MemberType = typeof(NameDoorCases))]
    public async Task A_name_is_stored_or_refused_as_at_every_other_door(string typed, string? stored, string? refusal)
    {
        _folder.Add("photos", "one.jpg", FakeFaceImages.Of("red"));
        var csv = Path.Combine(_folder.Root, "people.csv");
        await File.WriteAllTextAsync(csv, $"file,full name\nphotos/one.jpg,{typed}\n", Ct);

        var result = (await Importer().ImportAsync(ImportSource.FromCsv(_folder.Root, csv), parallelism: 1, progress: null, Ct)).Items.Single();

        if (stored is not null)
        {
            Assert.Equal(ImportOutcome.Imported, result.Outcome);
            Assert.Equal(stored, (await _directory.ListPeopleAsync(new PeopleQuery(0, 10, null), Ct)).Items.Single().Person.FullName);
        }
        else
        {
            Assert.Equal((ImportOutcome.Rejected, $"InvalidName: {refusal}"), (result.Outcome, result.Reason));
            Assert.Equal(0, await _directory.CountPeopleAsync(Ct));
        }
    }

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
        Assert.Equal("O'Brien, Seán", (await _directory.GetPersonAsync(ImportIds.PersonId(ImportIds.NameKey("O'Brien, Seán")), Ct))?.FullName);
        Assert.Equal(2, (await _directory.GetFacesAsync(ImportIds.PersonId(ImportIds.NameKey("Ann Smith")), Ct)).Count);
        Assert.Equal(3, _faces.FaceIds().Length);
        Assert.Empty(first.Warnings);
    }

    /// <summary>Review S11: two different people called John Smith, told apart by the CSV's id column, are two accounts.</summary>
    [Fact]
    public async Task People_who_share_a_name_stay_apart_when_the_csv_gives_ids()
    {
        _folder.Add("photos", "js-sales.jpg", FakeFaceImages.Of("red"));
        _folder.Add("photos", "js-sales-2.jpg", FakeFaceImages.With(Shifted("red")));
        _folder.Add("photos", "js-ops.jpg", FakeFaceImages.Of("blue"));
        var entries = await CsvAsync("file,full name,id\nphotos/js-sales.jpg,John Smith,E100\nphotos/js-sales-2.jpg,John Smith,E100\nphotos/js-ops.jpg,John Smith,E200\n");

        var summary = await Importer().ImportAsync(entries, parallelism: 2, progress: null, Ct);

        Assert.Equal(3, summary.Count(ImportOutcome.Imported));
        Assert.Empty(summary.Warnings);
        Assert.Equal(2, await _directory.CountPeopleAsync(Ct));
        Assert.Equal(2, (await _directory.GetFacesAsync(ImportIds.PersonId(ImportIds.CsvIdKey("E100")), Ct)).Count);
        Assert.Single(await _directory.GetFacesAsync(ImportIds.PersonId(ImportIds.CsvIdKey("E200")), Ct));
        Assert.Equal("John Smith", (await _directory.GetPersonAsync(ImportIds.PersonId(ImportIds.CsvIdKey("E100")), Ct))?.FullName);
        Assert.Equal("John Smith", (await _directory.GetPersonAsync(ImportIds.PersonId(ImportIds.CsvIdKey("E200")), Ct))?.FullName);
    }

    /// <summary>
    /// Review S11: without ids, two John Smiths become one key; the second photo matches none of the first person's faces,
    /// so the import reports a possible name clash for the operator (it is imported: the face is not somebody else's).
    /// </summary>
    [Fact]
    public async Task A_photo_unlike_the_persons_other_photos_is_reported_as_a_possible_name_clash()
    {
        _folder.Add("photos", "john-1.jpg", FakeFaceImages.Of("red"));
        _folder.Add("photos", "john-2.jpg", FakeFaceImages.With(Shifted("red")));
        _folder.Add("photos", "other-john.jpg", FakeFaceImages.Of("blue"));
        var entries = await CsvAsync("photos/john-1.jpg,John Smith\nphotos/john-2.jpg,john  smith\nphotos/other-john.jpg,JOHN SMITH\n");

        var summary = await Importer().ImportAsync(entries, parallelism: 1, progress: null, Ct);

        Assert.Equal(3, summary.Count(ImportOutcome.Imported));
        var warned = Assert.Single(summary.Warnings);
        Assert.Equal("photos/other-john.jpg", warned.Entry.RelativePath);
        Assert.StartsWith("possible name clash", warned.Warning, StringComparison.Ordinal);
        Assert.Equal(1, await _directory.CountPeopleAsync(Ct));
    }

    /// <summary>Review S3: the decoder's byte limit is the importer's; a larger file is refused unread and nothing is stored.</summary>
    [Fact]
    public async Task A_file_above_the_decoders_byte_limit_is_refused_and_nothing_is_stored()
    {
        var image = FakeFaceImages.Of("red");
        _folder.Add("Ann_Smith", "fits.jpg", image);
        _folder.Add("Bo_Chen", "too-big.jpg", [.. FakeFaceImages.Of("blue"), .. new byte[image.Length]]);
        var importer = Importer(maxBytes: image.Length);

        var summary = await importer.ImportAsync(ImportSource.FromFolders(_folder.Root), parallelism: 1, progress: null, Ct);

        Assert.Equal(image.Length, importer.MaxFileBytes);
        var byFile = summary.Items.ToDictionary(i => Path.GetFileName(i.Entry.Path));
        Assert.Equal(ImportOutcome.Imported, byFile["fits.jpg"].Outcome);
        Assert.Equal(ImportOutcome.Rejected, byFile["too-big.jpg"].Outcome);
        Assert.StartsWith("BadImage (TooLarge)", byFile["too-big.jpg"].Reason, StringComparison.Ordinal);
        Assert.Equal(1, await _directory.CountPeopleAsync(Ct));
        Assert.Single(_faces.FaceIds());
        Assert.Single(Directory.EnumerateFiles(Path.Combine(_folder.Root, "data", "images"), "*.jpg", SearchOption.AllDirectories));
    }

    [Fact]
    public void The_importers_limit_is_the_import_doors() =>
        Assert.Equal(new ImageBudgetOptions().Import.MaxBytes, Importer().MaxFileBytes);

    public void Dispose()
    {
        _directory.Dispose();
        _folder.Dispose();
    }
}
