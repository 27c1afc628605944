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
        Assert.Equal([ImportIds.FolderKey("Ann_Smith"), ImportIds.FolderKey("Ann_Smith"), ImportIds.FolderKey("Bo_Chen")], entries.Select(e => e.PersonKey));
    }

    /// <summary>Review S11: in folder mode the folder is the person, so two folders are two people even when their names read alike.</summary>
    [Fact]
    public void Folders_key_people_by_the_folder_not_by_the_name_read_from_it()
    {
        _folder.Add("Ann_Smith", "1.jpg", [1]);
        _folder.Add("Ann Smith", "2.jpg", [2]);

        var entries = ImportSource.FromFolders(_folder.Root);

        Assert.All(entries, e => Assert.Equal("Ann Smith", e.FullName));
        Assert.Equal(2, entries.Select(e => e.PersonId).Distinct().Count());
        Assert.DoesNotContain(ImportIds.PersonId(ImportIds.NameKey("Ann Smith")), entries.Select(e => e.PersonId));
    }

    /// <summary>Review S11: the CSV's optional id column keys the person; lines without one are keyed by the folded name.</summary>
    [Fact]
    public void Csv_ids_key_people_and_lines_without_an_id_are_keyed_by_the_folded_name()
    {
        var csv = Path.Combine(_folder.Root, "list.csv");
        File.WriteAllText(csv, "file,full name,id\na.jpg,John Smith,E100\nb.jpg,John Smith,E200\nc.jpg,ann  SMITH\nd.jpg, Ann Smith ,\ne.jpg,Ann Smith, E100 \n");

        var entries = ImportSource.FromCsv(_folder.Root, csv);

        Assert.Equal(
            [ImportIds.CsvIdKey("E100"), ImportIds.CsvIdKey("E200"), ImportIds.NameKey("Ann Smith"), ImportIds.NameKey("Ann Smith"), ImportIds.CsvIdKey("E100")],
            entries.Select(e => e.PersonKey));
        Assert.NotEqual(entries[0].PersonId, entries[1].PersonId);
        Assert.Equal(entries[2].PersonId, entries[3].PersonId);
        Assert.Equal(entries[0].PersonId, entries[4].PersonId);
    }

    /// <summary>Review S8: a CSV from a third party must not make import read and upload files outside the folder.</summary>
    [Theory]
    [InlineData("../outside.jpg")]
    [InlineData("photos/../../outside.jpg")]
    [InlineData("/etc/outside.jpg")]
    [InlineData("..")]
    public void Csv_paths_outside_the_import_folder_are_refused(string path)
    {
        var csv = Path.Combine(_folder.Root, "list.csv");
        File.WriteAllText(csv, $"a.jpg,Ann Smith\n\"{path}\",Bo Chen\n");

        var error = Assert.Throws<CliUsageException>(() => ImportSource.FromCsv(_folder.Root, csv));

        Assert.Contains("list.csv:2", error.Message, StringComparison.Ordinal);
        Assert.Contains("outside the import folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_absolute_path_to_an_image_elsewhere_is_refused()
    {
        using var elsewhere = new ImportFolder();
        var outside = elsewhere.Add("Eve", "eve.jpg", [1]);
        var csv = Path.Combine(_folder.Root, "list.csv");
        File.WriteAllText(csv, $"{outside},Eve Adams\n");

        Assert.Throws<CliUsageException>(() => ImportSource.FromCsv(_folder.Root, csv));
    }

    /// <summary>Review S8: only images are read; anything else named in a CSV is a usage error.</summary>
    [Theory]
    [InlineData("notes.txt")]
    [InlineData("photos/secrets")]
    [InlineData("photos/")]
    public void Csv_paths_that_are_not_images_are_refused(string path)
    {
        var csv = Path.Combine(_folder.Root, "list.csv");
        File.WriteAllText(csv, $"{path},Ann Smith\n");

        var error = Assert.Throws<CliUsageException>(() => ImportSource.FromCsv(_folder.Root, csv));

        Assert.Contains("list.csv:1", error.Message, StringComparison.Ordinal);
        Assert.Contains("is not a .jpg, .jpeg, .png file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_paths_inside_the_folder_are_accepted_however_they_are_written()
    {
        var csv = Path.Combine(_folder.Root, "list.csv");
        File.WriteAllText(csv, $"photos/../a.jpg,Ann Smith\n./b.PNG,Bo Chen\n{Path.Combine(_folder.Root, "c.jpeg")},Cy Dee\n");

        var entries = ImportSource.FromCsv(_folder.Root, csv);

        Assert.Equal(["a.jpg", "b.PNG", "c.jpeg"], entries.Select(e => Path.GetRelativePath(_folder.Root, e.Path)));
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
        Assert.Equal(ImportIds.PersonId(ImportIds.NameKey("Ann Smith")), ImportIds.PersonId(ImportIds.NameKey("ANN SMITH")));
        Assert.NotEqual(ImportIds.PersonId(ImportIds.NameKey("Ann Smith")), ImportIds.PersonId(ImportIds.NameKey("Ann Smyth")));
        Assert.Equal(ImportIds.ImageId([1, 2, 3]), ImportIds.ImageId([1, 2, 3]));
        Assert.NotEqual(ImportIds.ImageId([1, 2, 3]), ImportIds.ImageId([1, 2, 4]));
    }

    /// <summary>Review S11 (probe 5): the comment promised that inner spacing does not make another person.</summary>
    [Theory]
    [InlineData("ann  SMITH")]
    [InlineData(" Ann\tSmith ")]
    [InlineData("ANN \u00a0 smith")]
    public void Name_keys_fold_case_and_inner_white_space(string spelling) =>
        Assert.Equal(ImportIds.PersonId(ImportIds.NameKey("Ann Smith")), ImportIds.PersonId(ImportIds.NameKey(spelling)));

    [Fact]
    public void Folder_id_and_name_keys_never_collide()
    {
        Assert.NotEqual(ImportIds.PersonId(ImportIds.FolderKey("ANN SMITH")), ImportIds.PersonId(ImportIds.NameKey("Ann Smith")));
        Assert.NotEqual(ImportIds.PersonId(ImportIds.CsvIdKey("ANN SMITH")), ImportIds.PersonId(ImportIds.NameKey("Ann Smith")));
        Assert.NotEqual(ImportIds.PersonId(ImportIds.CsvIdKey("E1")), ImportIds.PersonId(ImportIds.FolderKey("E1")));
    }

    public void Dispose() => _folder.Dispose();
}
