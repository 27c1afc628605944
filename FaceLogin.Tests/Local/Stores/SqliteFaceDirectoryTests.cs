using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Stores;
using FaceLogin.Domain.Ports;
using FaceLogin.Tests.Support;
using Microsoft.Data.Sqlite;

namespace FaceLogin.Tests.Local.Stores;

/// <summary>
/// What only the SQLite directory does: WAL, migrations, foreign keys, the short-search path, retention, several instances
/// on one file. What every directory does is <see cref="Support.Contracts.FaceDirectoryContract"/> (run on SQLite by
/// SqliteFaceDirectoryContractTests).
/// </summary>
public sealed class SqliteFaceDirectoryTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly ManualTimeProvider time = new();
    private readonly RecordingLogs logs = new();
    private readonly List<SqliteFaceDirectory> opened = [];

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private string DatabasePath => folder.Combine("facelogin.db");

    public void Dispose()
    {
        foreach (var directory in opened)
        {
            directory.Dispose();
        }

        folder.Dispose();
    }

    private SqliteFaceDirectory Open(int retentionDays = 90)
    {
        var directory = new SqliteFaceDirectory(DatabasePath, new SqliteDirectoryOptions { LoginAttemptRetentionDays = retentionDays }, time, logs.For<SqliteFaceDirectory>());
        opened.Add(directory);
        return directory;
    }

    private Person NewPerson(string name, bool isAdmin = false) =>
        new(Guid.NewGuid(), name, time.GetUtcNow(), time.GetUtcNow(), "2026-11-27", isAdmin, null);

    private RegisteredFace NewFace(Guid personId) =>
        new(Guid.NewGuid().ToString("D"), personId, FaceImageKey.New(personId), new BoundingBox(0.25f, 0.125f, 0.5f, 0.625f), time.GetUtcNow());

    private async Task<Person> AddAsync(SqliteFaceDirectory directory, string name, int faces = 1, bool isAdmin = false)
    {
        var person = NewPerson(name, isAdmin);
        await directory.AddPersonAsync(person, NewFace(person.Id), Cancellation);
        for (var i = 1; i < faces; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await directory.AddFaceAsync(NewFace(person.Id), Cancellation);
        }

        return person;
    }

    private async Task<object?> PragmaAsync(string pragma)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync(Cancellation);
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {pragma};";
        return await command.ExecuteScalarAsync(Cancellation);
    }

    /// <summary>A database file as an older build left it: migrated only up to <paramref name="schemaVersion"/>, optionally with one person.</summary>
    private async Task CreateOldDatabaseAsync(int schemaVersion, Guid? withPerson = null, bool isAdmin = false)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync(Cancellation);
        await new SqliteMigrator(SqliteDirectorySchema.Migrations.Take(schemaVersion).ToList()).MigrateAsync(connection, Cancellation);
        if (withPerson is { } personId)
        {
            // Only the columns every schema version has.
            await using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO people (id, full_name, name_key, registered_at, consented_at, consent_version, is_admin)
                VALUES ($id, 'Early Person', 'EARLY PERSON', 0, 0, '2026-11-27', $isAdmin);
                """;
            command.Parameters.AddWithValue("$id", personId.ToString("D"));
            command.Parameters.AddWithValue("$isAdmin", isAdmin ? 1 : 0);
            await command.ExecuteNonQueryAsync(Cancellation);
        }
    }

    [Fact]
    public async Task Initialise_creates_a_WAL_database_at_the_latest_schema_version_and_is_idempotent()
    {
        var directory = Open();
        await directory.InitializeAsync(Cancellation);
        await directory.InitializeAsync(Cancellation);

        Assert.True(File.Exists(DatabasePath));
        Assert.Equal("wal", await PragmaAsync("journal_mode"));
        Assert.Equal((long)SqliteDirectorySchema.Migrations.Count, await PragmaAsync("user_version"));
    }

    [Fact]
    public async Task Reopening_keeps_the_data_and_migrates_nothing_again()
    {
        var first = Open();
        var person = await AddAsync(first, "Ada Lovelace", faces: 2);
        first.Dispose();

        var second = Open();
        await second.InitializeAsync(Cancellation);

        Assert.Equal(person, await second.GetPersonAsync(person.Id, Cancellation));
        Assert.Equal(2, (await second.GetFacesAsync(person.Id, Cancellation)).Count);
        Assert.DoesNotContain(logs.Lines, l => l.Text.Contains("migrated from version 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Foreign_keys_are_enforced_on_every_connection()
    {
        var directory = Open();
        var orphan = NewFace(Guid.NewGuid());

        var conflict = await Assert.ThrowsAsync<DirectoryConflictException>(() => directory.AddFaceAsync(orphan, Cancellation));

        Assert.Contains("does not exist", conflict.Message, StringComparison.Ordinal);
        Assert.Null(await directory.FindFaceAsync(orphan.FaceId, Cancellation));
    }

    [Fact]
    public async Task A_database_from_a_newer_build_is_refused_with_a_message()
    {
        await Open().InitializeAsync(Cancellation);
        await PragmaAsync("user_version = 99");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Open().InitializeAsync(Cancellation));

        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_migration_leaves_the_database_as_it_was()
    {
        var migrator = new SqliteMigrator(
        [
            new SqliteMigration(1, "good", "CREATE TABLE first_step (id INTEGER);"),
            new SqliteMigration(2, "broken", "CREATE TABLE second_step (id INTEGER); THIS IS NOT SQL;"),
        ]);
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync(Cancellation);

        await Assert.ThrowsAsync<SqliteException>(() => migrator.MigrateAsync(connection, Cancellation));

        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('first_step', 'second_step');";
        Assert.Equal(0L, await command.ExecuteScalarAsync(Cancellation));
        command.CommandText = "PRAGMA user_version;";
        Assert.Equal(0L, await command.ExecuteScalarAsync(Cancellation));
    }

    [Fact]
    public async Task Migrations_that_skip_a_number_are_refused()
    {
        var migrator = new SqliteMigrator([new SqliteMigration(2, "no first step", "SELECT 1;")]);
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync(Cancellation);

        await Assert.ThrowsAsync<InvalidOperationException>(() => migrator.MigrateAsync(connection, Cancellation));
    }

    [Theory]
    [InlineData("ali", new[] { "Alice Zed", "Natalia Alison" })]
    [InlineData("ALI", new[] { "Alice Zed", "Natalia Alison" })]
    [InlineData("lodie", new[] { "Élodie Durand" })]
    [InlineData("ÉLO", new[] { "Élodie Durand" })]
    [InlineData("élo", new[] { "Élodie Durand" })]
    [InlineData("z", new[] { "Alice Zed" })]
    [InlineData("an", new[] { "Élodie Durand" })]
    [InlineData("王", new[] { "王小明" })]
    [InlineData("小明", new[] { "王小明" })]
    [InlineData("\"; DROP TABLE people; --", new string[0])]
    [InlineData("%", new string[0])]
    [InlineData("nobody at all", new string[0])]
    public async Task Search_is_a_case_insensitive_substring_of_the_name(string search, string[] expected)
    {
        var directory = Open();
        foreach (var name in new[] { "Alice Zed", "Natalia Alison", "Élodie Durand", "王小明", "Bob" })
        {
            await AddAsync(directory, name);
        }

        var result = await directory.ListPeopleAsync(new PeopleQuery(0, 50, search), Cancellation);

        Assert.Equal(expected.Order(StringComparer.Ordinal), result.Items.Select(s => s.Person.FullName).Order(StringComparer.Ordinal));
        Assert.Equal(expected.Length, result.TotalCount);
        Assert.Equal(5, await directory.CountPeopleAsync(Cancellation));
    }

    [Fact]
    public async Task A_database_from_before_the_first_person_marker_gets_it_when_it_has_people()
    {
        await CreateOldDatabaseAsync(schemaVersion: 1, withPerson: Guid.NewGuid(), isAdmin: true);

        var directory = Open();
        var signsUp = NewPerson("Signs Up Later");
        var stored = await directory.AddPersonAdminIfFirstAsync(signsUp, NewFace(signsUp.Id), Cancellation);

        Assert.False(stored.IsAdmin);
        Assert.Equal((long)SqliteDirectorySchema.Migrations.Count, await PragmaAsync("user_version"));
    }

    [Fact]
    public async Task An_empty_database_from_before_the_first_person_marker_still_makes_its_first_sign_up_admin()
    {
        await CreateOldDatabaseAsync(schemaVersion: 1);

        var directory = Open();
        var first = NewPerson("First");

        Assert.True((await directory.AddPersonAdminIfFirstAsync(first, NewFace(first.Id), Cancellation)).IsAdmin);
    }

    [Fact]
    public async Task A_database_from_before_session_versions_gives_its_people_version_0_and_can_raise_it()
    {
        var personId = Guid.NewGuid();
        await CreateOldDatabaseAsync(schemaVersion: 2, withPerson: personId);

        Assert.Equal(2L, await PragmaAsync("user_version"));
        var directory = Open();

        Assert.Equal(0, (await directory.GetPersonAsync(personId, Cancellation))?.SessionVersion);
        await directory.EndSessionsAsync(personId, Cancellation);
        Assert.Equal(1, (await directory.GetPersonAsync(personId, Cancellation))?.SessionVersion);
        Assert.Equal((long)SqliteDirectorySchema.Migrations.Count, await PragmaAsync("user_version"));
    }

    [Fact]
    public async Task Attempts_older_than_the_retention_are_purged_when_the_directory_opens()
    {
        var first = Open(retentionDays: 30);
        var old = new LoginAttempt(Guid.NewGuid(), time.GetUtcNow(), LoginOutcome.NotRecognised, null, null, "a");
        await first.AddLoginAttemptAsync(old, Cancellation);
        time.Advance(TimeSpan.FromDays(29));
        var recent = new LoginAttempt(Guid.NewGuid(), time.GetUtcNow(), LoginOutcome.SignedIn, null, 99f, "a");
        await first.AddLoginAttemptAsync(recent, Cancellation);
        first.Dispose();

        time.Advance(TimeSpan.FromDays(2));
        var reopened = Open(retentionDays: 30);

        var remaining = await reopened.ListLoginAttemptsAsync(new PageRequest(0, 10), Cancellation);
        Assert.Equal([recent.Id], remaining.Items.Select(a => a.Id));
    }

    [Fact]
    public async Task Attempts_are_also_purged_while_running_at_most_hourly()
    {
        var directory = Open(retentionDays: 1);
        await directory.AddLoginAttemptAsync(new LoginAttempt(Guid.NewGuid(), time.GetUtcNow(), LoginOutcome.NoFace, null, null, "a"), Cancellation);

        time.Advance(TimeSpan.FromDays(2));
        var current = new LoginAttempt(Guid.NewGuid(), time.GetUtcNow(), LoginOutcome.NoFace, null, null, "a");
        await directory.AddLoginAttemptAsync(current, Cancellation);

        Assert.Equal([current.Id], (await directory.ListLoginAttemptsAsync(new PageRequest(0, 10), Cancellation)).Items.Select(a => a.Id));
    }

    [Fact]
    public async Task Two_directories_on_one_file_write_concurrently_without_losing_rows()
    {
        var first = Open();
        var second = Open();
        await first.InitializeAsync(Cancellation);

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => AddAsync(i % 2 == 0 ? first : second, $"Person {i}"), Cancellation)));

        Assert.Equal(40, await first.CountPeopleAsync(Cancellation));
        Assert.Equal(40, (await second.ListPeopleAsync(new PeopleQuery(0, 100, "person"), Cancellation)).TotalCount);
    }
}
