using FaceLogin.Domain.Authentication;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Ports;

namespace FaceLogin.Tests.Support.Contracts;

/// <summary>
/// What every <see cref="IFaceDirectory"/> does (SQLite in local mode, DynamoDB in AWS mode). One derived class per
/// implementation supplies a fresh, initialised, empty directory; these tests are the single definition of the port.
/// Times are whole milliseconds near now, which every store keeps exactly.
/// </summary>
public abstract class FaceDirectoryContract
{
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    /// <summary>A new, initialised directory with nothing in it, isolated from other tests.</summary>
    protected abstract Task<IFaceDirectory> CreateDirectoryAsync();

    /// <summary>A second instance over the same storage as <paramref name="directory"/>, as another process would open it.</summary>
    protected abstract Task<IFaceDirectory> OpenAgainAsync(IFaceDirectory directory);

    protected static Person NewPerson(string fullName, int minutesAgo = 10, bool isAdmin = false) =>
        new(Guid.NewGuid(), fullName, Now.AddMinutes(-minutesAgo), Now.AddMinutes(-minutesAgo).AddSeconds(-5), "2026-11-27", isAdmin, null);

    protected static RegisteredFace NewFace(Guid personId, int minutesAgo = 10) =>
        new("face-" + Guid.NewGuid().ToString("N"), personId, FaceImageKey.New(personId), new BoundingBox(0.25f, 0.125f, 0.5f, 0.625f), Now.AddMinutes(-minutesAgo));

    private static LoginAttempt Attempt(LoginOutcome outcome, string client, int minutesAgo, Guid? personId = null, float? similarity = null) =>
        new(Guid.NewGuid(), Now.AddMinutes(-minutesAgo), outcome, personId, similarity, client);

    [Fact]
    public async Task Initialize_is_idempotent()
    {
        var directory = await CreateDirectoryAsync();

        await directory.InitializeAsync(Ct);
        await directory.InitializeAsync(Ct);

        Assert.Equal(0, await directory.CountPeopleAsync(Ct));
    }

    [Fact]
    public async Task A_person_and_their_first_face_read_back_as_written()
    {
        var directory = await CreateDirectoryAsync();
        var person = NewPerson("Ann Smith") with { LastSignInAt = Now.AddMinutes(-1), IsAdmin = true };
        var face = NewFace(person.Id);

        await directory.AddPersonAsync(person, face, Ct);

        Assert.Equal(person, await directory.GetPersonAsync(person.Id, Ct));
        Assert.Equal(face, await directory.FindFaceAsync(face.FaceId, Ct));
        Assert.Equal(face, await directory.FindFaceByImageKeyAsync(face.ImageKey, Ct));
        Assert.Equal([face], await directory.GetFacesAsync(person.Id, Ct));
        Assert.Equal(1, await directory.CountPeopleAsync(Ct));
    }

    [Fact]
    public async Task Unknown_ids_read_as_null_or_empty()
    {
        var directory = await CreateDirectoryAsync();

        Assert.Null(await directory.GetPersonAsync(Guid.NewGuid(), Ct));
        Assert.Null(await directory.FindFaceAsync("no-such-face", Ct));
        Assert.Null(await directory.FindFaceByImageKeyAsync(FaceImageKey.New(Guid.NewGuid()), Ct));
        Assert.Empty(await directory.GetFacesAsync(Guid.NewGuid(), Ct));
    }

    [Fact]
    public async Task Adding_the_same_person_twice_is_a_conflict_and_changes_nothing()
    {
        var directory = await CreateDirectoryAsync();
        var person = NewPerson("Ann Smith");
        var face = NewFace(person.Id);
        await directory.AddPersonAsync(person, face, Ct);

        var again = NewFace(person.Id);
        await Assert.ThrowsAsync<DirectoryConflictException>(() => directory.AddPersonAsync(person with { FullName = "Someone Else" }, again, Ct));

        Assert.Equal(person, await directory.GetPersonAsync(person.Id, Ct));
        Assert.Null(await directory.FindFaceAsync(again.FaceId, Ct));
        Assert.Equal([face], await directory.GetFacesAsync(person.Id, Ct));
    }

    [Fact]
    public async Task A_face_id_already_registered_blocks_a_new_person_without_leaving_the_person_behind()
    {
        var directory = await CreateDirectoryAsync();
        var ann = NewPerson("Ann Smith");
        var annFace = NewFace(ann.Id);
        await directory.AddPersonAsync(ann, annFace, Ct);

        var bo = NewPerson("Bo Chen");
        var sameFaceId = NewFace(bo.Id) with { FaceId = annFace.FaceId };
        await Assert.ThrowsAsync<DirectoryConflictException>(() => directory.AddPersonAsync(bo, sameFaceId, Ct));

        Assert.Null(await directory.GetPersonAsync(bo.Id, Ct));
        Assert.Null(await directory.FindFaceByImageKeyAsync(sameFaceId.ImageKey, Ct));
        Assert.Equal(ann.Id, (await directory.FindFaceAsync(annFace.FaceId, Ct))?.PersonId);
        Assert.Equal(1, await directory.CountPeopleAsync(Ct));
    }

    [Fact]
    public async Task More_faces_are_added_to_an_existing_person_in_the_order_they_were_indexed()
    {
        var directory = await CreateDirectoryAsync();
        var person = NewPerson("Ann Smith");
        var first = NewFace(person.Id, minutesAgo: 30);
        var second = NewFace(person.Id, minutesAgo: 20);
        var third = NewFace(person.Id, minutesAgo: 10);
        await directory.AddPersonAsync(person, first, Ct);

        await directory.AddFaceAsync(third, Ct);
        await directory.AddFaceAsync(second, Ct);

        Assert.Equal([first, second, third], await directory.GetFacesAsync(person.Id, Ct));
        Assert.Equal(second, await directory.FindFaceByImageKeyAsync(second.ImageKey, Ct));
    }

    [Fact]
    public async Task A_face_for_a_missing_person_or_a_known_face_or_image_is_a_conflict()
    {
        var directory = await CreateDirectoryAsync();
        var person = NewPerson("Ann Smith");
        var first = NewFace(person.Id);
        await directory.AddPersonAsync(person, first, Ct);

        var nobody = Guid.NewGuid();
        await Assert.ThrowsAsync<DirectoryConflictException>(() => directory.AddFaceAsync(NewFace(nobody), Ct));
        await Assert.ThrowsAsync<DirectoryConflictException>(() => directory.AddFaceAsync(NewFace(person.Id) with { FaceId = first.FaceId }, Ct));
        var sameImage = NewFace(person.Id) with { ImageKey = first.ImageKey };
        await Assert.ThrowsAsync<DirectoryConflictException>(() => directory.AddFaceAsync(sameImage, Ct));

        Assert.Null(await directory.GetPersonAsync(nobody, Ct));
        Assert.Null(await directory.FindFaceAsync(sameImage.FaceId, Ct));
        Assert.Equal([first], await directory.GetFacesAsync(person.Id, Ct));
    }

    [Fact]
    public async Task People_are_listed_by_name_in_pages_with_their_face_count_and_first_face()
    {
        var directory = await CreateDirectoryAsync();
        var names = new[] { "carol White", "Ann Smith", "bo Chen", "Dan Brown", "Eve Adams" };
        var people = new Dictionary<string, (Person Person, RegisteredFace First)>();
        foreach (var name in names)
        {
            var person = NewPerson(name);
            var first = NewFace(person.Id, minutesAgo: 50);
            await directory.AddPersonAsync(person, first, Ct);
            people[name] = (person, first);
        }

        await directory.AddFaceAsync(NewFace(people["bo Chen"].Person.Id, minutesAgo: 5), Ct);

        var page0 = await directory.ListPeopleAsync(new PeopleQuery(0, 2, null), Ct);
        var page1 = await directory.ListPeopleAsync(new PeopleQuery(1, 2, null), Ct);
        var page2 = await directory.ListPeopleAsync(new PeopleQuery(2, 2, null), Ct);
        var page3 = await directory.ListPeopleAsync(new PeopleQuery(3, 2, null), Ct);

        Assert.Equal(5, page0.TotalCount);
        Assert.Equal(["Ann Smith", "bo Chen"], page0.Items.Select(s => s.Person.FullName));
        Assert.Equal(["carol White", "Dan Brown"], page1.Items.Select(s => s.Person.FullName));
        Assert.Equal(["Eve Adams"], page2.Items.Select(s => s.Person.FullName));
        Assert.Empty(page3.Items);
        var bo = page0.Items[1];
        Assert.Equal(people["bo Chen"].Person, bo.Person);
        Assert.Equal(2, bo.FaceCount);
        Assert.Equal(people["bo Chen"].First, bo.FirstFace);
        Assert.Equal(1, page0.Items[0].FaceCount);
    }

    [Fact]
    public async Task Search_finds_people_by_part_of_their_name_ignoring_case()
    {
        var directory = await CreateDirectoryAsync();
        foreach (var name in new[] { "Ann Smith", "Joanna Smithers", "Bo Chen", "Zoë Ångström" })
        {
            var person = NewPerson(name);
            await directory.AddPersonAsync(person, NewFace(person.Id), Ct);
        }

        var smith = await directory.ListPeopleAsync(new PeopleQuery(0, 10, "SMITH"), Ct);
        var ann = await directory.ListPeopleAsync(new PeopleQuery(0, 10, "ann"), Ct);
        var zoe = await directory.ListPeopleAsync(new PeopleQuery(0, 10, "zoë"), Ct);
        var none = await directory.ListPeopleAsync(new PeopleQuery(0, 10, "xyz"), Ct);

        Assert.Equal(["Ann Smith", "Joanna Smithers"], smith.Items.Select(s => s.Person.FullName));
        Assert.Equal(2, smith.TotalCount);
        Assert.Equal(["Ann Smith", "Joanna Smithers"], ann.Items.Select(s => s.Person.FullName));
        Assert.Equal(["Zoë Ångström"], zoe.Items.Select(s => s.Person.FullName));
        Assert.Empty(none.Items);
        Assert.Equal(0, none.TotalCount);
    }

    [Fact]
    public async Task Admin_flag_and_last_sign_in_are_updated_and_ignored_for_unknown_people()
    {
        var directory = await CreateDirectoryAsync();
        var person = NewPerson("Ann Smith");
        await directory.AddPersonAsync(person, NewFace(person.Id), Ct);
        var signedInAt = Now.AddSeconds(-3);

        await directory.SetAdminAsync(person.Id, true, Ct);
        await directory.RecordSignInAsync(person.Id, signedInAt, Ct);
        var nobody = Guid.NewGuid();
        await directory.SetAdminAsync(nobody, true, Ct);
        await directory.RecordSignInAsync(nobody, signedInAt, Ct);

        Assert.Equal(person with { IsAdmin = true, LastSignInAt = signedInAt }, await directory.GetPersonAsync(person.Id, Ct));
        Assert.Null(await directory.GetPersonAsync(nobody, Ct));
        Assert.Equal(1, await directory.CountPeopleAsync(Ct));

        await directory.SetAdminAsync(person.Id, false, Ct);
        Assert.False((await directory.GetPersonAsync(person.Id, Ct))?.IsAdmin);
    }

    [Fact]
    public async Task Ending_sessions_raises_only_that_persons_version_and_ignores_unknown_people()
    {
        var directory = await CreateDirectoryAsync();
        var ann = NewPerson("Ann Smith");
        var bo = NewPerson("Bo Chen");
        await directory.AddPersonAsync(ann, NewFace(ann.Id), Ct);
        await directory.AddPersonAsync(bo, NewFace(bo.Id), Ct);
        Assert.Equal(0, (await directory.GetPersonAsync(ann.Id, Ct))?.SessionVersion);

        await directory.EndSessionsAsync(ann.Id, Ct);
        await directory.EndSessionsAsync(ann.Id, Ct);
        var nobody = Guid.NewGuid();
        await directory.EndSessionsAsync(nobody, Ct);

        Assert.Equal(ann with { SessionVersion = 2 }, await directory.GetPersonAsync(ann.Id, Ct));
        Assert.Equal(bo, await directory.GetPersonAsync(bo.Id, Ct));
        Assert.Null(await directory.GetPersonAsync(nobody, Ct));
        Assert.Equal(2, await directory.CountPeopleAsync(Ct));
        var listed = await directory.ListPeopleAsync(new PeopleQuery(0, 10, "Ann"), Ct);
        Assert.Equal(2, Assert.Single(listed.Items).Person.SessionVersion);
    }

    [Fact]
    public async Task A_session_version_is_stored_as_added_and_kept_by_other_updates()
    {
        var directory = await CreateDirectoryAsync();
        var person = NewPerson("Ann Smith") with { SessionVersion = 7 };
        await directory.AddPersonAsync(person, NewFace(person.Id), Ct);

        await directory.SetAdminAsync(person.Id, true, Ct);
        await directory.RecordSignInAsync(person.Id, Now, Ct);
        await directory.AddFaceAsync(NewFace(person.Id), Ct);

        Assert.Equal(person with { IsAdmin = true, LastSignInAt = Now }, await directory.GetPersonAsync(person.Id, Ct));
    }

    [Fact]
    public async Task Concurrent_sign_outs_in_two_processes_all_count()
    {
        var directory = await CreateDirectoryAsync();
        var instances = new[] { directory, await OpenAgainAsync(directory) };
        var person = NewPerson("Ann Smith");
        await directory.AddPersonAsync(person, NewFace(person.Id), Ct);

        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => instances[i % 2].EndSessionsAsync(person.Id, Ct)));

        Assert.Equal(10, (await instances[1].GetPersonAsync(person.Id, Ct))?.SessionVersion);
    }

    [Fact]
    public async Task Deleting_a_person_removes_them_and_every_face_and_unlinks_their_attempts()
    {
        var directory = await CreateDirectoryAsync();
        var ann = NewPerson("Ann Smith");
        var bo = NewPerson("Bo Chen");
        var annFaces = new[] { NewFace(ann.Id, 30), NewFace(ann.Id, 20), NewFace(ann.Id, 10) };
        var boFace = NewFace(bo.Id);
        await directory.AddPersonAsync(ann, annFaces[0], Ct);
        await directory.AddFaceAsync(annFaces[1], Ct);
        await directory.AddFaceAsync(annFaces[2], Ct);
        await directory.AddPersonAsync(bo, boFace, Ct);
        var annAttempt = Attempt(LoginOutcome.SignedIn, "10.0.0.1", 3, ann.Id, 97.5f);
        var boAttempt = Attempt(LoginOutcome.SignedIn, "10.0.0.2", 2, bo.Id, 99f);
        await directory.AddLoginAttemptAsync(annAttempt, Ct);
        await directory.AddLoginAttemptAsync(boAttempt, Ct);

        Assert.True(await directory.DeletePersonAsync(ann.Id, Ct));

        Assert.Null(await directory.GetPersonAsync(ann.Id, Ct));
        Assert.Empty(await directory.GetFacesAsync(ann.Id, Ct));
        foreach (var face in annFaces)
        {
            Assert.Null(await directory.FindFaceAsync(face.FaceId, Ct));
            Assert.Null(await directory.FindFaceByImageKeyAsync(face.ImageKey, Ct));
        }

        var attempts = (await directory.ListLoginAttemptsAsync(new PageRequest(0, 10), Ct)).Items.ToDictionary(a => a.Id);
        Assert.Equal(annAttempt with { PersonId = null }, attempts[annAttempt.Id]);
        Assert.Equal(boAttempt, attempts[boAttempt.Id]);
        Assert.Equal(bo, await directory.GetPersonAsync(bo.Id, Ct));
        Assert.Equal(1, await directory.CountPeopleAsync(Ct));
        Assert.False(await directory.DeletePersonAsync(ann.Id, Ct));

        // Nothing of the deleted person blocks registering the same image again.
        var again = NewPerson("Ann Smith");
        await directory.AddPersonAsync(again, NewFace(again.Id) with { ImageKey = annFaces[0].ImageKey, FaceId = annFaces[0].FaceId }, Ct);
        Assert.Equal(again.Id, (await directory.FindFaceByImageKeyAsync(annFaces[0].ImageKey, Ct))?.PersonId);
    }

    [Fact]
    public async Task Deleting_one_face_keeps_the_person_and_the_other_faces()
    {
        var directory = await CreateDirectoryAsync();
        var person = NewPerson("Ann Smith");
        var first = NewFace(person.Id, 20);
        var second = NewFace(person.Id, 10);
        await directory.AddPersonAsync(person, first, Ct);
        await directory.AddFaceAsync(second, Ct);

        Assert.True(await directory.DeleteFaceAsync(second.FaceId, Ct));
        Assert.False(await directory.DeleteFaceAsync(second.FaceId, Ct));

        Assert.Equal([first], await directory.GetFacesAsync(person.Id, Ct));
        Assert.Null(await directory.FindFaceByImageKeyAsync(second.ImageKey, Ct));
        Assert.Equal(1, (await directory.ListPeopleAsync(new PeopleQuery(0, 10, null), Ct)).Items.Single().FaceCount);

        // The freed image can be registered again.
        await directory.AddFaceAsync(NewFace(person.Id) with { ImageKey = second.ImageKey }, Ct);
        Assert.Equal(2, (await directory.GetFacesAsync(person.Id, Ct)).Count);
    }

    [Fact]
    public async Task Login_attempts_are_listed_newest_first_in_pages()
    {
        var directory = await CreateDirectoryAsync();
        var person = NewPerson("Ann Smith");
        await directory.AddPersonAsync(person, NewFace(person.Id), Ct);
        var attempts = new[]
        {
            Attempt(LoginOutcome.SignedIn, "192.0.2.1", 50, person.Id, 98.25f),
            Attempt(LoginOutcome.NotRecognised, "192.0.2.2", 40, similarity: 41.5f),
            Attempt(LoginOutcome.NoFace, "192.0.2.2", 30),
            Attempt(LoginOutcome.LockedOut, "2001:db8::7", 20),
            Attempt(LoginOutcome.BadImage, "192.0.2.3", 10),
        };
        foreach (var attempt in attempts)
        {
            await directory.AddLoginAttemptAsync(attempt, Ct);
        }

        var first = await directory.ListLoginAttemptsAsync(new PageRequest(0, 2), Ct);
        var second = await directory.ListLoginAttemptsAsync(new PageRequest(1, 2), Ct);
        var third = await directory.ListLoginAttemptsAsync(new PageRequest(2, 2), Ct);

        Assert.Equal(5, first.TotalCount);
        Assert.Equal([attempts[4], attempts[3]], first.Items);
        Assert.Equal([attempts[2], attempts[1]], second.Items);
        Assert.Equal([attempts[0]], third.Items);
    }

    [Fact]
    public async Task An_attempt_refused_as_not_live_keeps_which_check_refused_it()
    {
        var directory = await CreateDirectoryAsync();
        var notLive = Attempt(LoginOutcome.NotLive, "192.0.2.9", 1) with { LivenessRefusal = FaceLogin.Domain.Faces.Liveness.LivenessRefusal.FlatPicture };
        var other = Attempt(LoginOutcome.NoFace, "192.0.2.9", 2);
        await directory.AddLoginAttemptAsync(notLive, Ct);
        await directory.AddLoginAttemptAsync(other, Ct);

        Assert.Equal([notLive, other], (await directory.ListLoginAttemptsAsync(new PageRequest(0, 10), Ct)).Items);
        Assert.Equal(1, await directory.CountFailedAttemptsAsync("192.0.2.9", DateTimeOffset.MinValue, Ct));
    }

    [Fact]
    public async Task Recording_the_same_attempt_twice_is_a_conflict()
    {
        var directory = await CreateDirectoryAsync();
        var attempt = Attempt(LoginOutcome.NoFace, "192.0.2.9", 1);
        await directory.AddLoginAttemptAsync(attempt, Ct);

        await Assert.ThrowsAsync<DirectoryConflictException>(() => directory.AddLoginAttemptAsync(attempt with { Outcome = LoginOutcome.SignedIn }, Ct));

        Assert.Equal([attempt], (await directory.ListLoginAttemptsAsync(new PageRequest(0, 10), Ct)).Items);
    }

    [Fact]
    public async Task Only_unrecognised_sign_ins_and_sign_ups_that_reached_the_search_count_towards_lock_out_per_client_address_since_a_time()
    {
        var directory = await CreateDirectoryAsync();
        const string client = "198.51.100.7";
        var attempts = new[]
        {
            Attempt(LoginOutcome.NotRecognised, client, 30),
            Attempt(LoginOutcome.NotRecognised, client, 9),
            Attempt(LoginOutcome.AlreadyRegistered, client, 8),
            Attempt(LoginOutcome.NoFace, client, 7),
            Attempt(LoginOutcome.PoorQuality, client, 7),
            Attempt(LoginOutcome.LockedOut, client, 6),
            Attempt(LoginOutcome.SignedIn, client, 5),
            Attempt(LoginOutcome.SignedUp, client, 5),
            Attempt(LoginOutcome.NotRecognised, "198.51.100.8", 5),
        };
        foreach (var attempt in attempts)
        {
            await directory.AddLoginAttemptAsync(attempt, Ct);
        }

        Assert.Equal(
            [LoginOutcome.NotRecognised, LoginOutcome.SignedUp, LoginOutcome.AlreadyRegistered, LoginOutcome.Suspended, LoginOutcome.NotLive],
            LoginOutcomeExtensions.LockOutOutcomes);
        Assert.Equal(3, await directory.CountFailedAttemptsAsync(client, Now.AddMinutes(-10), Ct));
        Assert.Equal(4, await directory.CountFailedAttemptsAsync(client, Now.AddMinutes(-31), Ct));
        // "Since" includes an attempt made exactly then.
        Assert.Equal(2, await directory.CountFailedAttemptsAsync(client, Now.AddMinutes(-8), Ct));
        Assert.Equal(1, await directory.CountFailedAttemptsAsync(client, Now.AddMinutes(-7), Ct));
        Assert.Equal(1, await directory.CountFailedAttemptsAsync(client, Now.AddMinutes(-5), Ct));
        Assert.Equal(0, await directory.CountFailedAttemptsAsync(client, Now.AddMinutes(-4), Ct));
        Assert.Equal(0, await directory.CountFailedAttemptsAsync("203.0.113.1", Now.AddHours(-1), Ct));
    }

    [Fact]
    public async Task An_attempt_naming_a_person_who_is_gone_is_kept_without_the_link()
    {
        var directory = await CreateDirectoryAsync();
        var attempt = Attempt(LoginOutcome.SignedIn, "192.0.2.4", 1, Guid.NewGuid(), 99f);

        await directory.AddLoginAttemptAsync(attempt, Ct);

        Assert.Equal([attempt with { PersonId = null }], (await directory.ListLoginAttemptsAsync(new PageRequest(0, 10), Ct)).Items);
    }

    [Fact]
    public async Task Admins_are_counted()
    {
        var directory = await CreateDirectoryAsync();
        foreach (var (name, admin) in new[] { ("Ann Smith", true), ("Bo Chen", false), ("Cy Dee", true) })
        {
            var person = NewPerson(name, isAdmin: admin);
            await directory.AddPersonAsync(person, NewFace(person.Id), Ct);
        }

        Assert.Equal(2, await directory.CountAdminsAsync(Ct));
    }

    [Fact]
    public async Task People_with_the_same_name_are_listed_in_registration_order()
    {
        var directory = await CreateDirectoryAsync();
        var later = NewPerson("ann smith", minutesAgo: 5);
        var earlier = NewPerson("Ann Smith", minutesAgo: 50);
        await directory.AddPersonAsync(later, NewFace(later.Id), Ct);
        await directory.AddPersonAsync(earlier, NewFace(earlier.Id), Ct);

        var page = await directory.ListPeopleAsync(new PeopleQuery(0, 10, null), Ct);

        Assert.Equal([earlier.Id, later.Id], page.Items.Select(s => s.Person.Id));
    }

    [Theory]
    [InlineData(int.MaxValue, 200)]
    [InlineData(int.MaxValue / 100, 100)]
    [InlineData(int.MaxValue, 0)]
    public async Task A_huge_page_number_is_an_empty_page_past_the_end(int page, int pageSize)
    {
        var directory = await CreateDirectoryAsync();
        var person = NewPerson("Ann Smith");
        await directory.AddPersonAsync(person, NewFace(person.Id), Ct);
        await directory.AddLoginAttemptAsync(Attempt(LoginOutcome.NoFace, "192.0.2.5", 1), Ct);

        var people = await directory.ListPeopleAsync(new PeopleQuery(page, pageSize, null), Ct);
        var attempts = await directory.ListLoginAttemptsAsync(new PageRequest(page, pageSize), Ct);

        Assert.Empty(people.Items);
        Assert.Equal(1, people.TotalCount);
        Assert.Empty(attempts.Items);
        Assert.Equal(1, attempts.TotalCount);
    }

    [Fact]
    public async Task The_first_person_to_sign_up_is_stored_as_admin_and_nobody_after()
    {
        var directory = await CreateDirectoryAsync();
        var first = NewPerson("Ann Smith");
        var second = NewPerson("Bo Chen");

        var storedFirst = await directory.AddPersonAdminIfFirstAsync(first, NewFace(first.Id), Ct);
        var storedSecond = await directory.AddPersonAdminIfFirstAsync(second, NewFace(second.Id), Ct);

        Assert.Equal(first with { IsAdmin = true }, storedFirst);
        Assert.Equal(storedFirst, await directory.GetPersonAsync(first.Id, Ct));
        Assert.Equal(second, storedSecond);
        Assert.Equal(second, await directory.GetPersonAsync(second.Id, Ct));
        Assert.Equal(1, await directory.CountAdminsAsync(Ct));
    }

    [Fact]
    public async Task Once_anybody_was_added_or_everybody_deleted_a_sign_up_is_not_admin_by_being_first()
    {
        var directory = await CreateDirectoryAsync();
        var imported = NewPerson("Imported Person");
        await directory.AddPersonAsync(imported, NewFace(imported.Id), Ct);
        Assert.True(await directory.DeletePersonAsync(imported.Id, Ct));
        Assert.Equal(0, await directory.CountPeopleAsync(Ct));

        var signsUp = NewPerson("Signs Up");
        var stored = await directory.AddPersonAdminIfFirstAsync(signsUp, NewFace(signsUp.Id), Ct);

        Assert.False(stored.IsAdmin);
        Assert.False((await directory.GetPersonAsync(signsUp.Id, Ct))?.IsAdmin);
    }

    [Fact]
    public async Task Of_first_sign_ups_at_once_in_two_processes_exactly_one_is_admin()
    {
        var directory = await CreateDirectoryAsync();
        var instances = new[] { directory, await OpenAgainAsync(directory) };
        var people = Enumerable.Range(0, 8).Select(i => NewPerson($"Person {i}")).ToArray();

        var stored = await Task.WhenAll(people.Select((person, i) =>
            Task.Run(() => instances[i % 2].AddPersonAdminIfFirstAsync(person, NewFace(person.Id), Ct), Ct)));

        Assert.Single(stored, p => p.IsAdmin);
        Assert.Equal(8, await directory.CountPeopleAsync(Ct));
        Assert.Equal(1, await directory.CountAdminsAsync(Ct));
    }

    /// <summary>3 free misses, then 30 s doubling up to 4 min; misses count for an hour; a delayed address gets a question a minute.</summary>
    private static AddressThrottle Throttle(int free = 3, int delayedSearchSeconds = 60, int firstDelaySeconds = 30) => new(new AuthenticationOptions
    {
        MaxFailedAttempts = free,
        FirstDelay = TimeSpan.FromSeconds(firstDelaySeconds),
        MaxDelay = TimeSpan.FromMinutes(4),
        LockOutWindow = TimeSpan.FromHours(1),
        DelayedSearchInterval = TimeSpan.FromSeconds(delayedSearchSeconds),
        MaxRequestAge = TimeSpan.FromMinutes(2),
    });

    private static async Task<ThrottleDecision> StartAsync(IFaceDirectory directory, string client, DateTimeOffset at, AddressThrottle throttle, Guid? id = null) =>
        await directory.TryStartLoginAttemptAsync(id ?? Guid.NewGuid(), client, at, throttle, Ct);

    /// <summary>Starts an attempt and records its outcome, as a sign-in does.</summary>
    private static async Task<ThrottleDecision> AskAsync(IFaceDirectory directory, string client, DateTimeOffset at, AddressThrottle throttle, LoginOutcome outcome)
    {
        var id = Guid.NewGuid();
        var gate = await StartAsync(directory, client, at, throttle, id);
        if (gate.IsAdmitted)
        {
            await directory.AddLoginAttemptAsync(new LoginAttempt(id, at, outcome, null, 50f, client), Ct);
        }

        return gate;
    }

    [Fact]
    public async Task An_address_gets_its_free_misses_then_a_delay_that_doubles_with_each_further_miss()
    {
        var directory = await CreateDirectoryAsync();
        const string client = "198.51.100.30";
        // No lane while delayed (an hour between questions), to see the delay alone.
        var throttle = Throttle(delayedSearchSeconds: 3600);

        for (var i = 0; i < 3; i++)
        {
            Assert.True((await AskAsync(directory, client, Now, throttle, LoginOutcome.NotRecognised)).IsAdmitted);
        }

        var delayed = await StartAsync(directory, client, Now.AddSeconds(10), throttle);
        Assert.False(delayed.IsAdmitted);
        Assert.Equal(TimeSpan.FromSeconds(20), delayed.RetryAfter);
        Assert.Equal(20, delayed.RetryAfterSeconds);

        // The fourth miss, once the 30 s are over: the next wait is 60 s after it, then 120 s, then the 4-minute cap.
        Assert.True((await AskAsync(directory, client, Now.AddSeconds(30), throttle, LoginOutcome.NotRecognised)).IsAdmitted);
        Assert.Equal(TimeSpan.FromSeconds(59), (await StartAsync(directory, client, Now.AddSeconds(31), throttle)).RetryAfter);
        Assert.True((await AskAsync(directory, client, Now.AddSeconds(90), throttle, LoginOutcome.AlreadyRegistered)).IsAdmitted);
        Assert.False((await StartAsync(directory, client, Now.AddSeconds(200), throttle)).IsAdmitted);
        Assert.True((await AskAsync(directory, client, Now.AddSeconds(210), throttle, LoginOutcome.SignedUp)).IsAdmitted);
        Assert.True((await AskAsync(directory, client, Now.AddSeconds(450), throttle, LoginOutcome.Suspended)).IsAdmitted);
        Assert.Equal(TimeSpan.FromMinutes(4), throttle.Delay(7));
        Assert.False((await StartAsync(directory, client, Now.AddSeconds(689), throttle)).IsAdmitted);
        Assert.True((await StartAsync(directory, client, Now.AddSeconds(690), throttle)).IsAdmitted);

        // Another address is not delayed by this one's misses.
        Assert.True((await StartAsync(directory, "198.51.100.31", Now.AddSeconds(11), throttle)).IsAdmitted);
        Assert.Equal(7, await directory.CountFailedAttemptsAsync(client, Now.AddHours(-1), Ct));
    }

    [Fact]
    public async Task Sign_ins_and_refusals_without_a_face_question_are_no_misses_and_misses_are_forgotten_after_the_window()
    {
        var directory = await CreateDirectoryAsync();
        const string client = "198.51.100.32";
        var throttle = Throttle();
        foreach (var outcome in new[] { LoginOutcome.SignedIn, LoginOutcome.NoFace, LoginOutcome.PoorQuality, LoginOutcome.BadImage, LoginOutcome.MultipleFaces, LoginOutcome.SignedIn })
        {
            Assert.True((await AskAsync(directory, client, Now, throttle, outcome)).IsAdmitted);
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.True((await AskAsync(directory, client, Now, throttle, LoginOutcome.NotRecognised)).IsAdmitted);
        }

        Assert.False((await StartAsync(directory, client, Now.AddSeconds(1), throttle)).IsAdmitted);
        // An hour later the address is fresh again.
        Assert.True((await StartAsync(directory, client, Now.AddHours(1).AddSeconds(1), throttle)).IsAdmitted);
    }

    /// <summary>
    /// While delayed, the address still gets one face question per interval (from the start of its previous one, any answer):
    /// a person behind it signs in after at most that wait, and a stranger gets no more than that rate.
    /// </summary>
    [Fact]
    public async Task A_delayed_address_still_gets_one_face_question_per_interval()
    {
        var directory = await CreateDirectoryAsync();
        const string client = "198.51.100.33";
        var throttle = Throttle(firstDelaySeconds: 600);
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await AskAsync(directory, client, Now, throttle, LoginOutcome.NotRecognised)).IsAdmitted);
        }

        var waiting = await StartAsync(directory, client, Now.AddSeconds(30), throttle);
        Assert.Equal(TimeSpan.FromSeconds(30), waiting.RetryAfter);
        Assert.True((await AskAsync(directory, client, Now.AddSeconds(60), throttle, LoginOutcome.SignedIn)).IsAdmitted);
        Assert.False((await StartAsync(directory, client, Now.AddSeconds(61), throttle)).IsAdmitted);
        Assert.True((await AskAsync(directory, client, Now.AddSeconds(120), throttle, LoginOutcome.NotRecognised)).IsAdmitted);
        // That miss doubled the delay (now 20 min after it), but the lane is the same: a minute after the last question.
        Assert.Equal(TimeSpan.FromSeconds(59), (await StartAsync(directory, client, Now.AddSeconds(121), throttle)).RetryAfter);
        Assert.True((await StartAsync(directory, client, Now.AddSeconds(180), throttle)).IsAdmitted);
    }

    /// <summary>
    /// A known device's attempts at a delayed address are recorded without passing the gate (AuthenticationService verifies them
    /// per person instead): in every directory they are neither misses nor questions that space the address's lane.
    /// </summary>
    [Fact]
    public async Task Known_device_attempts_recorded_at_a_delayed_address_are_neither_misses_nor_questions_of_its_lane()
    {
        var directory = await CreateDirectoryAsync();
        const string client = "198.51.100.34";
        var throttle = Throttle(firstDelaySeconds: 600);
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await AskAsync(directory, client, Now, throttle, LoginOutcome.NotRecognised)).IsAdmitted);
        }

        Assert.False((await StartAsync(directory, client, Now.AddSeconds(30), throttle)).IsAdmitted);
        await directory.AddLoginAttemptAsync(new LoginAttempt(Guid.NewGuid(), Now.AddSeconds(40), LoginOutcome.SignedInOnKnownDevice, null, 99f, client), Ct);
        await directory.AddLoginAttemptAsync(new LoginAttempt(Guid.NewGuid(), Now.AddSeconds(59), LoginOutcome.KnownDeviceNotRecognised, null, 12f, client), Ct);

        Assert.Equal(3, await directory.CountFailedAttemptsAsync(client, Now.AddHours(-1), Ct));
        Assert.True((await StartAsync(directory, client, Now.AddSeconds(60), throttle)).IsAdmitted);
    }

    [Fact]
    public async Task An_attempt_in_progress_counts_as_a_miss_until_it_is_older_than_a_request_can_live_and_can_be_expired()
    {
        var directory = await CreateDirectoryAsync();
        const string client = "198.51.100.34";
        var throttle = Throttle(delayedSearchSeconds: 1);
        // A request that died five minutes ago at another address, and two that died ten seconds ago at this one.
        Assert.True((await StartAsync(directory, "198.51.100.36", Now.AddMinutes(-5), throttle)).IsAdmitted);
        Assert.True((await StartAsync(directory, client, Now.AddSeconds(-10), throttle)).IsAdmitted);
        Assert.True((await StartAsync(directory, client, Now.AddSeconds(-10), throttle)).IsAdmitted);
        var live = Guid.NewGuid();
        Assert.True((await StartAsync(directory, client, Now, throttle, live)).IsAdmitted);

        // Three count (the two dead requests younger than 2 min, and the live one): delayed. Two minutes on, none of them does.
        Assert.False((await StartAsync(directory, client, Now.AddMilliseconds(500), throttle)).IsAdmitted);
        Assert.True((await StartAsync(directory, client, Now.AddMinutes(2).AddSeconds(1), throttle)).IsAdmitted);

        Assert.Equal(1, await directory.ExpireLoginAttemptsInProgressAsync(Now.AddMinutes(-2), Ct));
        Assert.Equal(0, await directory.ExpireLoginAttemptsInProgressAsync(Now.AddMinutes(-2), Ct));
        // The start at +2:01 dropped this address's dead ones; it is the only one left, until it is old too.
        Assert.Equal(0, await directory.ExpireLoginAttemptsInProgressAsync(Now.AddMinutes(2), Ct));
        Assert.Equal(1, await directory.ExpireLoginAttemptsInProgressAsync(Now.AddMinutes(3), Ct));
        // Recording the live one after its expiry is harmless.
        await directory.AddLoginAttemptAsync(new LoginAttempt(live, Now, LoginOutcome.SignedIn, null, 95f, client), Ct);
        Assert.Equal(0, await directory.CountFailedAttemptsAsync(client, Now.AddHours(-1), Ct));
    }

    [Fact]
    public async Task Concurrent_starts_from_one_address_in_two_processes_admit_exactly_the_free_misses()
    {
        var directory = await CreateDirectoryAsync();
        var instances = new[] { directory, await OpenAgainAsync(directory) };
        const string client = "198.51.100.40";
        var throttle = Throttle(free: 5);

        var started = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            Task.Run(() => instances[i % 2].TryStartLoginAttemptAsync(Guid.NewGuid(), client, Now, throttle, Ct), Ct)));

        Assert.Equal(5, started.Count(s => s.IsAdmitted));
        Assert.All(started.Where(s => !s.IsAdmitted), s => Assert.Equal(TimeSpan.FromSeconds(30), s.RetryAfter));
    }

    [Fact]
    public async Task Near_matches_count_against_the_person_a_sign_in_resets_them_and_the_cap_suspends_until_re_enabled()
    {
        var directory = await CreateDirectoryAsync();
        var person = NewPerson("Near Match");
        await directory.AddPersonAsync(person, NewFace(person.Id), Ct);

        Assert.False(await directory.RecordNearMatchAsync(person.Id, Now, 3, Ct));
        Assert.False(await directory.RecordNearMatchAsync(person.Id, Now, 3, Ct));
        Assert.Equal(2, (await directory.GetPersonAsync(person.Id, Ct))!.FailedNearMatches);
        await directory.RecordSignInAsync(person.Id, Now, Ct);
        Assert.Equal(0, (await directory.GetPersonAsync(person.Id, Ct))!.FailedNearMatches);

        Assert.False(await directory.RecordNearMatchAsync(person.Id, Now.AddSeconds(1), 3, Ct));
        Assert.False(await directory.RecordNearMatchAsync(person.Id, Now.AddSeconds(2), 3, Ct));
        Assert.True(await directory.RecordNearMatchAsync(person.Id, Now.AddSeconds(3), 3, Ct));
        Assert.True(await directory.RecordNearMatchAsync(person.Id, Now.AddSeconds(4), 3, Ct));
        var suspended = (await directory.GetPersonAsync(person.Id, Ct))!;
        Assert.Equal(Now.AddSeconds(3), suspended.FaceSignInSuspendedAt);
        Assert.True(suspended.IsFaceSignInSuspended);
        Assert.Equal(4, suspended.FailedNearMatches);
        Assert.True((await directory.ListPeopleAsync(new PeopleQuery(0, 10, null), Ct)).Items.Single().Person.IsFaceSignInSuspended);

        await directory.EnableFaceSignInAsync(person.Id, Ct);
        var enabled = (await directory.GetPersonAsync(person.Id, Ct))!;
        Assert.False(enabled.IsFaceSignInSuspended);
        Assert.Equal(0, enabled.FailedNearMatches);
        Assert.False(await directory.RecordNearMatchAsync(Guid.NewGuid(), Now, 3, Ct));
        await directory.EnableFaceSignInAsync(Guid.NewGuid(), Ct);
    }

    [Fact]
    public async Task Concurrent_near_matches_in_two_processes_all_count_and_suspend_once()
    {
        var directory = await CreateDirectoryAsync();
        var instances = new[] { directory, await OpenAgainAsync(directory) };
        var person = NewPerson("Many Near Matches");
        await directory.AddPersonAsync(person, NewFace(person.Id), Ct);

        var suspended = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            Task.Run(() => instances[i % 2].RecordNearMatchAsync(person.Id, Now.AddSeconds(i), 10, Ct), Ct)));

        var stored = (await directory.GetPersonAsync(person.Id, Ct))!;
        Assert.Equal(30, stored.FailedNearMatches);
        Assert.Equal(21, suspended.Count(s => s));
        Assert.True(stored.IsFaceSignInSuspended);
    }
}
