using FaceLogin.Tests.Support;
using FaceLogin.Web.Cli;
using FaceLogin.Web.Cli.Import;

namespace FaceLogin.Tests.Local;

public sealed class ImportSourceTests : IDisposable
{
    private readonly ImportFolder _folder = new();

    [Fact]
    public void Folders_name_people_with_underscores_read_as_spaces_and_only_images_count()
    {
        _folder.Add("Ann_Smith", "b.JPG", [1]);
        _folder.Add("Ann_Smith", "a.jpeg", [1]);
        _folder.Add("Ann_Smith", "notes.txt", [1]);
        _folder.Add("Bo_Chen", "x.png", [1]);

        var entries = ImportSource.FromFolders(_folder.Root);

        Assert.Equal([("Ann Smith", "a.jpeg"), ("Ann Smith", "b.JPG"), ("Bo Chen", "x.png")],
            entries.Select(e => (e.FullName, Path.GetFileName(e.Path))));
    }

    [Fact]
    public void Csv_lines_follow_rfc4180_quoting_and_skip_the_header_and_comments()
    {
        var csv = Path.Combine(_folder.Root, "list.csv");
        File.WriteAllText(csv, "File,Full Name\n# a comment\na.jpg,Ann Smith\n\"b, c.jpg\",\"Smith, \"\"Bo\"\"\"\n\n");

        var entries = ImportSource.FromCsv(_folder.Root, csv);

        Assert.Equal([("a.jpg", "Ann Smith"), ("b, c.jpg", "Smith, \"Bo\"")], entries.Select(e => (e.RelativePath, e.FullName)));
        Assert.Equal(Path.Combine(_folder.Root, "a.jpg"), entries[0].Path);
    }

    [Fact]
    public void A_csv_line_without_a_name_is_a_usage_error_naming_the_line()
    {
        var csv = Path.Combine(_folder.Root, "bad.csv");
        File.WriteAllText(csv, "a.jpg,Ann\nb.jpg\n");

        var error = Assert.Throws<CliUsageException>(() => ImportSource.FromCsv(_folder.Root, csv));

        Assert.Contains("bad.csv:2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ids_are_name_based_uuids_stable_across_runs()
    {
        // RFC 9562, appendix A: UUIDv5 of "www.example.com" in the DNS namespace.
        Assert.Equal(new Guid("2ed6657d-e927-568b-95e1-2665a8aea6a2"), ImportIds.NameBased(new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "www.example.com"));
        Assert.Equal(ImportIds.PersonId("Ann Smith"), ImportIds.PersonId("ANN SMITH"));
        Assert.NotEqual(ImportIds.PersonId("Ann Smith"), ImportIds.PersonId("Ann Smyth"));
        Assert.Equal(ImportIds.ImageId([1, 2, 3]), ImportIds.ImageId([1, 2, 3]));
        Assert.NotEqual(ImportIds.ImageId([1, 2, 3]), ImportIds.ImageId([1, 2, 4]));
    }

    public void Dispose() => _folder.Dispose();
}
