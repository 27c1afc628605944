using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Stores;
using FaceLogin.Domain.Ports;
using FaceLogin.Tests.Support;
using Microsoft.Data.Sqlite;

namespace FaceLogin.Tests.Local.Stores;

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

    [Fact]
    public async Task A_person_round_trips_with_every_field()
    {
        var directory = Open();
        var person = NewPerson("Grace Hopper", isAdmin: true) with { LastSignInAt = time.GetUtcNow().AddMinutes(5) };
        var face = NewFace(person.Id);

        await directory.AddPersonAsync(person, face, Cancellation);

        Assert.Equal(person, await directory.GetPersonAsync(person.Id, Cancellation));
        Assert.Equal(face, await directory.FindFaceAsync(face.FaceId, Cancellation));
        Assert.Equal(face, await directory.FindFaceByImageKeyAsync(face.ImageKey, Cancellation));
        Assert.Equal([face], await directory.GetFacesAsync(person.Id, Cancellation));
        Assert.Equal(TimeSpan.Zero, (await directory.GetPersonAsync(person.Id, Cancellation))!.RegisteredAt.Offset);
    }

    [Fact]
    public async Task Adding_a_person_is_atomic_a_face_conflict_adds_no_person()
    {
        var directory = Open();
        var existing = await AddAsync(directory, "Existing");
        var existingFace = (await directory.GetFacesAsync(existing.Id, Cancellation))[0];
        var newcomer = NewPerson("Newcomer");

        await Assert.ThrowsAsync<DirectoryConflictException>(() =>
            directory.AddPersonAsync(newcomer, existingFace with { PersonId = newcomer.Id, ImageKey = FaceImageKey.New(newcomer.Id) }, Cancellation));

        Assert.Null(await directory.GetPersonAsync(newcomer.Id, Cancellation));
        Assert.Equal(1, await directory.CountPeopleAsync(Cancellation));
    }

    [Fact]
    public async Task Duplicates_are_conflicts()
    {
        var directory = Open();
        var person = await AddAsync(directory, "Someone");
        var face = (await directory.GetFacesAsync(person.Id, Cancellation))[0];

        await Assert.ThrowsAsync<DirectoryConflictException>(() => directory.AddPersonAsync(person, NewFace(person.Id), Cancellation));
        await Assert.ThrowsAsync<DirectoryConflictException>(() => directory.AddFaceAsync(face with { ImageKey = FaceImageKey.New(person.Id) }, Cancellation));
        await Assert.ThrowsAsync<DirectoryConflictException>(() => directory.AddFaceAsync(face with { FaceId = "another" }, Cancellation));
        Assert.Single(await directory.GetFacesAsync(person.Id, Cancellation));
    }

    [Fact]
    public async Task Deleting_a_person_removes_their_faces_and_unlinks_their_attempts()
    {
        var directory = Open();
        var person = await AddAsync(directory, "Leaving", faces: 3);
        var keep = await AddAsync(directory, "Staying");
        var faces = await directory.GetFacesAsync(person.Id, Cancellation);
        await directory.AddLoginAttemptAsync(new LoginAttempt(Guid.NewGuid(), time.GetUtcNow(), LoginOutcome.SignedIn, person.Id, 97f, "198.51.100.7"), Cancellation);

        Assert.True(await directory.DeletePersonAsync(person.Id, Cancellation));
        Assert.False(await directory.DeletePersonAsync(person.Id, Cancellation));

        Assert.Null(await directory.GetPersonAsync(person.Id, Cancellation));
        Assert.Empty(await directory.GetFacesAsync(person.Id, Cancellation));
        foreach (var face in faces)
        {
            Assert.Null(await directory.FindFaceAsync(face.FaceId, Cancellation));
            Assert.Null(await directory.FindFaceByImageKeyAsync(face.ImageKey, Cancellation));
        }

        var attempt = Assert.Single((await directory.ListLoginAttemptsAsync(new PageRequest(0, 10), Cancellation)).Items);
        Assert.Null(attempt.PersonId);
        Assert.NotNull(await directory.GetPersonAsync(keep.Id, Cancellation));
    }

    [Fact]
    public async Task Deleting_one_face_keeps_the_person()
    {
        var directory = Open();
        var person = await AddAsync(directory, "Two Faces", faces: 2);
        var faces = await directory.GetFacesAsync(person.Id, Cancellation);

        Assert.True(await directory.DeleteFaceAsync(faces[1].FaceId, Cancellation));
        Assert.False(await directory.DeleteFaceAsync(faces[1].FaceId, Cancellation));

        Assert.Equal([faces[0]], await directory.GetFacesAsync(person.Id, Cancellation));
    }

    [Fact]
    public async Task People_are_listed_by_name_with_face_count_and_first_face_paged()
    {
        var directory = Open();
        var carol = await AddAsync(directory, "carol Baker", faces: 3);
        var alice = await AddAsync(directory, "Alice Zed");
        var bob = await AddAsync(directory, "Bob Young", faces: 2);
        var carolFirstFace = (await directory.GetFacesAsync(carol.Id, Cancellation))[0];

        var first = await directory.ListPeopleAsync(new PeopleQuery(0, 2, null), Cancellation);
        var second = await directory.ListPeopleAsync(new PeopleQuery(1, 2, null), Cancellation);

        Assert.Equal(3, first.TotalCount);
        Assert.Equal([alice.Id, bob.Id], first.Items.Select(s => s.Person.Id));
        var carolSummary = Assert.Single(second.Items);
        Assert.Equal(carol, carolSummary.Person);
        Assert.Equal(3, carolSummary.FaceCount);
        Assert.Equal(carolFirstFace, carolSummary.FirstFace);
        Assert.Equal(2, first.Items[1].FaceCount);
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
    public async Task Admin_flag_and_sign_in_time_are_updated_and_unknown_people_are_ignored()
    {
        var directory = Open();
        var person = await AddAsync(directory, "Flagged");
        var signedInAt = time.GetUtcNow().AddHours(2);

        await directory.SetAdminAsync(person.Id, true, Cancellation);
        await directory.RecordSignInAsync(person.Id, signedInAt, Cancellation);
        await directory.SetAdminAsync(Guid.NewGuid(), true, Cancellation);
        await directory.RecordSignInAsync(Guid.NewGuid(), signedInAt, Cancellation);

        var stored = await directory.GetPersonAsync(person.Id, Cancellation);
        Assert.True(stored!.IsAdmin);
        Assert.Equal(signedInAt, stored.LastSignInAt);
        Assert.Equal(1, await directory.CountAdminsAsync(Cancellation));
        Assert.Equal(1, await ((IFaceDirectory)directory).CountAdminsAsync(Cancellation));
    }

    [Fact]
    public async Task Login_attempts_are_listed_newest_first_and_paged()
    {
        var directory = Open();
        var ids = new List<Guid>();
        foreach (var outcome in Enum.GetValues<LoginOutcome>())
        {
            var attempt = new LoginAttempt(Guid.NewGuid(), time.GetUtcNow(), outcome, null, outcome == LoginOutcome.NotRecognised ? 42.5f : null, "203.0.113.9");
            await directory.AddLoginAttemptAsync(attempt, Cancellation);
            ids.Add(attempt.Id);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        var pages = new List<PagedResult<LoginAttempt>>();
        for (var page = 0; page * 3 < ids.Count; page++)
        {
            pages.Add(await directory.ListLoginAttemptsAsync(new PageRequest(page, 3), Cancellation));
        }

        Assert.All(pages, p => Assert.Equal(ids.Count, p.TotalCount));
        Assert.Equal(3, pages[0].Items.Count);
        ids.Reverse();
        var listed = pages.SelectMany(p => p.Items).ToArray();
        Assert.Equal(ids, listed.Select(a => a.Id));
        var notRecognised = listed.Single(a => a.Outcome == LoginOutcome.NotRecognised);
        Assert.Equal(42.5f, notRecognised.Similarity);
        Assert.Equal("203.0.113.9", notRecognised.ClientAddress);
    }

    [Fact]
    public async Task Failed_attempts_are_counted_per_address_since_a_time_and_only_for_lock_out_outcomes()
    {
        var directory = Open();
        var start = time.GetUtcNow();
        foreach (var outcome in Enum.GetValues<LoginOutcome>())
        {
            await directory.AddLoginAttemptAsync(new LoginAttempt(Guid.NewGuid(), start, outcome, null, null, "a"), Cancellation);
        }

        await directory.AddLoginAttemptAsync(new LoginAttempt(Guid.NewGuid(), start, LoginOutcome.NotRecognised, null, null, "a"), Cancellation);
        await directory.AddLoginAttemptAsync(new LoginAttempt(Guid.NewGuid(), start, LoginOutcome.NotRecognised, null, null, "b"), Cancellation);
        await directory.AddLoginAttemptAsync(new LoginAttempt(Guid.NewGuid(), start.AddMinutes(-20), LoginOutcome.NotRecognised, null, null, "a"), Cancellation);

        Assert.Equal(2, await directory.CountFailedAttemptsAsync("a", start.AddMinutes(-15), Cancellation));
        Assert.Equal(3, await directory.CountFailedAttemptsAsync("a", start.AddMinutes(-30), Cancellation));
        Assert.Equal(1, await directory.CountFailedAttemptsAsync("b", start.AddMinutes(-15), Cancellation));
        Assert.Equal(0, await directory.CountFailedAttemptsAsync("c", start.AddMinutes(-15), Cancellation));
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
