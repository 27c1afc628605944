using System.Text;
using FaceLogin.Domain.Local.Stores;
using FaceLogin.Domain.Ports;
using FaceLogin.Tests.Support;

namespace FaceLogin.Tests.Local.Stores;

/// <summary>
/// "Deletion removes it everywhere" down to the bytes of the SQLite files: a deleted person's name must not survive in
/// facelogin.db, its WAL, or the name search index's old segments.
/// </summary>
public sealed class SecureDeleteTests : IDisposable
{
    private readonly DomainHarness harness = new();

    public void Dispose() => harness.Dispose();

    /// <summary>
    /// The name as typed and as its upper-cased search key, and two of the trigrams the name search index keeps (folded to
    /// lower case; no other name here has them, and neither letter pair is hex, so ids cannot contain them by chance).
    /// </summary>
    private static readonly string[] Traces = ["Quartermaine", "QUARTERMAINE", "zeb", "uar"];

    private string[] FilesWithTraces() =>
        Traces.SelectMany(trace => FileBytes.FilesContaining(harness.Folder.Path, SqliteDirectoryOptions.DatabaseFileName, Encoding.UTF8.GetBytes(trace))
            .Select(file => $"{trace} in {file}")).ToArray();

    [Fact]
    public async Task A_deleted_person_s_name_is_gone_from_the_database_files_while_the_app_runs()
    {
        var (zebedee, _) = await harness.RegisterAsync("Zebedee Quartermaine", FakeFaceImages.Of("zq"));
        await harness.RegisterAsync("Other Person", FakeFaceImages.Of("other"));
        await harness.Directory.ListPeopleAsync(new PeopleQuery(0, 10, "quarter"), harness.Cancellation);
        Assert.NotEmpty(FilesWithTraces());

        Assert.True(await harness.Administration.DeletePersonAsync(zebedee.Id, harness.Cancellation));

        Assert.Empty(FilesWithTraces());
        Assert.Empty((await harness.Directory.ListPeopleAsync(new PeopleQuery(0, 10, "quarter"), harness.Cancellation)).Items);
        Assert.Single((await harness.Directory.ListPeopleAsync(new PeopleQuery(0, 10, "other"), harness.Cancellation)).Items);
    }

    [Fact]
    public async Task A_deleted_person_s_name_is_gone_from_the_database_files_after_the_app_stops()
    {
        var (zebedee, _) = await harness.RegisterAsync("Zebedee Quartermaine", FakeFaceImages.Of("zq"));
        await harness.RegisterAsync("Other Person", FakeFaceImages.Of("other"));

        Assert.True(await harness.Administration.DeletePersonAsync(zebedee.Id, harness.Cancellation));
        harness.Directory.Dispose();

        Assert.Empty(FilesWithTraces());
    }
}
