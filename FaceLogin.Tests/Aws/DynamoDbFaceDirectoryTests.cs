using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using FaceLogin.Domain.Authentication;
using FaceLogin.Domain.Aws;
using FaceLogin.Domain.Aws.DynamoDb;
using FaceLogin.Domain.Aws.Provisioning;
using FaceLogin.Domain.Ports;
using FaceLogin.Tests.Support;
using FaceLogin.Tests.Support.Contracts;
using Microsoft.Extensions.Options;

namespace FaceLogin.Tests.Aws;

/// <summary>The directory contract against DynamoDB Local, plus the table design's own promises (seed shape, TTL).</summary>
[Collection(DynamoDbLocalCollection.Name)]
public sealed class DynamoDbFaceDirectoryTests(DynamoDbLocalFixture dynamoDb) : FaceDirectoryContract, IDisposable
{
    private readonly DynamoDbDirectories _directories = new(dynamoDb);

    private IAmazonDynamoDB Client => _directories.Client;

    private Task<(DynamoDbFaceDirectory Directory, AwsOptions Options)> CreateDynamoDirectoryAsync() => _directories.CreateAsync(Ct);

    protected override async Task<IFaceDirectory> CreateDirectoryAsync() => (await CreateDynamoDirectoryAsync()).Directory;

    protected override Task<IFaceDirectory> OpenAgainAsync(IFaceDirectory directory) => _directories.OpenAgainAsync(directory, Ct);

    [Fact]
    public async Task Faces_table_keeps_the_seeds_item_shape()
    {
        var (directory, options) = await CreateDynamoDirectoryAsync();
        var person = NewPerson("Ann Smith");
        var face = NewFace(person.Id);

        await directory.AddPersonAsync(person, face, Ct);

        var item = (await Client.GetItemAsync(options.FacesTable, new() { ["RekognitionId"] = new AttributeValue { S = face.FaceId } }, Ct)).Item;
        Assert.Equal("Ann Smith", item["FullName"].S);
        Assert.Equal(person.Id.ToString("D"), item["PersonId"].S);
        Assert.Equal(face.ImageKey.Value, item["ImageKey"].S);
    }

    [Fact]
    public async Task Provisioning_twice_reports_existing_tables_and_turns_on_ttl_once()
    {
        var (directory, options) = await CreateDynamoDirectoryAsync();

        var again = await directory.Tables.EnsureAsync(Ct);

        Assert.All(again, step => Assert.Equal(ProvisionOutcome.Exists, step.Outcome));
        var ttl = await Client.DescribeTimeToLiveAsync(new DescribeTimeToLiveRequest { TableName = options.LoginAttemptsTable }, Ct);
        Assert.Equal("ExpiresAt", ttl.TimeToLiveDescription.AttributeName);
        Assert.Equal(TimeToLiveStatus.ENABLED, ttl.TimeToLiveDescription.TimeToLiveStatus);
    }

    [Fact]
    public async Task Login_attempts_carry_an_expiry_after_the_retention_period()
    {
        var (directory, options) = await CreateDynamoDirectoryAsync();
        var attempt = new LoginAttempt(Guid.NewGuid(), DateTimeOffset.UtcNow, LoginOutcome.NoFace, null, null, "192.0.2.1");

        await directory.AddLoginAttemptAsync(attempt, Ct);

        var item = (await Client.GetItemAsync(options.LoginAttemptsTable, new() { ["AttemptId"] = new AttributeValue { S = attempt.Id.ToString("D") } }, Ct)).Item;
        Assert.Equal((attempt.At + TimeSpan.FromDays(options.LoginAttemptRetentionDays)).ToUnixTimeSeconds(), long.Parse(item["ExpiresAt"].N, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Initialize_names_the_provision_command_when_tables_are_missing()
    {
        dynamoDb.RequireRunning();
        var options = Options.Create(new AwsOptions { PeopleTable = "missing-" + Guid.NewGuid().ToString("N") });
        var directory = new DynamoDbFaceDirectory(Client, options, TimeProvider.System);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => directory.InitializeAsync(Ct));

        Assert.Contains("provision", error.Message, StringComparison.Ordinal);
        Assert.Contains(options.Value.PeopleTable, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_person_with_many_faces_is_deleted_completely()
    {
        var (directory, _) = await CreateDynamoDirectoryAsync();
        var person = NewPerson("Many Faces");
        var faces = Enumerable.Range(0, 60).Select(i => NewFace(person.Id, 100 - i)).ToList();
        await directory.AddPersonAsync(person, faces[0], Ct);
        foreach (var face in faces.Skip(1))
        {
            await directory.AddFaceAsync(face, Ct);
        }

        Assert.True(await directory.DeletePersonAsync(person.Id, Ct));

        Assert.Null(await directory.GetPersonAsync(person.Id, Ct));
        Assert.Null(await directory.FindFaceAsync(faces[^1].FaceId, Ct));
        Assert.Null(await directory.FindFaceByImageKeyAsync(faces[0].ImageKey, Ct));
    }

    public void Dispose() => _directories.Dispose();

    [Fact]
    public async Task Tables_with_people_from_before_the_first_person_marker_get_it_at_start_up()
    {
        var (directory, options) = await CreateDynamoDirectoryAsync();
        var early = NewPerson("Early Admin", isAdmin: true);
        await directory.AddPersonAsync(early, NewFace(early.Id), Ct);
        // As a table written by a build without the marker looks.
        await Client.DeleteItemAsync(options.PeopleTable, new() { ["Id"] = new AttributeValue { S = "meta:first-person" } }, Ct);

        var restarted = new DynamoDbFaceDirectory(Client, Options.Create(options), TimeProvider.System);
        await restarted.InitializeAsync(Ct);
        var signsUp = NewPerson("Signs Up Later");

        Assert.False((await restarted.AddPersonAdminIfFirstAsync(signsUp, NewFace(signsUp.Id), Ct)).IsAdmin);
        Assert.Equal(2, await restarted.CountPeopleAsync(Ct));
        Assert.Equal(2, (await restarted.ListPeopleAsync(new PeopleQuery(0, 10, null), Ct)).TotalCount);
    }

    [Fact]
    public async Task The_lock_out_ledger_is_one_item_per_address_that_no_index_lists()
    {
        var (directory, options) = await CreateDynamoDirectoryAsync();
        var now = DateTimeOffset.UtcNow;
        var attemptId = Guid.NewGuid();

        Assert.True((await directory.TryStartLoginAttemptAsync(attemptId, "192.0.2.77", now, new AddressThrottle(new AuthenticationOptions()), Ct)).IsAdmitted);
        await directory.AddLoginAttemptAsync(new LoginAttempt(attemptId, now, LoginOutcome.NotRecognised, null, 40f, "192.0.2.77"), Ct);

        var ledger = (await Client.GetItemAsync(options.LoginAttemptsTable, new() { ["AttemptId"] = new AttributeValue { S = "client:192.0.2.77" } }, Ct)).Item;
        Assert.Single(ledger["Slots"].SS);
        // Ended: no attempt in progress is left (a set cannot be empty, so the attribute goes).
        Assert.False(ledger.ContainsKey("Pending"));
        Assert.True(long.Parse(ledger["ExpiresAt"].N, System.Globalization.CultureInfo.InvariantCulture) > now.ToUnixTimeSeconds());
        Assert.Equal([attemptId], (await directory.ListLoginAttemptsAsync(new PageRequest(0, 10), Ct)).Items.Select(a => a.Id));
        Assert.Equal(1, await directory.CountFailedAttemptsAsync("192.0.2.77", now.AddMinutes(-15), Ct));
    }

    /// <summary>A second directory on the same tables: another process. Its clock is its own, for the lease tests.</summary>
    private DynamoDbFaceDirectory OtherProcess(AwsOptions options, TimeProvider clock) => _directories.Another(options, clock);

    /// <summary>Review-4 S3: while one process holds a person's lease, another waits, then gives up with a TimeoutException.</summary>
    [Fact]
    public async Task A_persons_lease_has_one_holder_across_processes()
    {
        var (directory, options) = await CreateDynamoDirectoryAsync();
        var person = Guid.NewGuid();

        await using (await directory.HoldPersonLeaseAsync(person, Ct))
        {
            // Each reading of this clock is half the wait later: the first attempt is refused, then the wait is over.
            var impatient = OtherProcess(options, new SteppingTimeProvider(DateTimeOffset.UtcNow, DynamoDbFaceDirectory.LeaseWait / 2));
            await Assert.ThrowsAsync<TimeoutException>(() => impatient.HoldPersonLeaseAsync(person, Ct));

            // Another person's lease is free.
            await using (await OtherProcess(options, TimeProvider.System).HoldPersonLeaseAsync(Guid.NewGuid(), Ct))
            {
            }
        }

        // Released: the other process gets it at once.
        await using (await OtherProcess(options, new SteppingTimeProvider(DateTimeOffset.UtcNow, DynamoDbFaceDirectory.LeaseWait / 2)).HoldPersonLeaseAsync(person, Ct))
        {
        }
    }

    [Fact]
    public async Task A_waiting_process_gets_the_lease_when_the_holder_releases_it()
    {
        var (directory, options) = await CreateDynamoDirectoryAsync();
        var person = Guid.NewGuid();
        var held = await directory.HoldPersonLeaseAsync(person, Ct);
        var firstOwner = await LeaseOwnerOf(options, person);

        var waiting = OtherProcess(options, TimeProvider.System).HoldPersonLeaseAsync(person, Ct);
        await held.DisposeAsync();

        await using var taken = await waiting.WaitAsync(DynamoDbFaceDirectory.LeaseWait, Ct);
        var owner = await LeaseOwnerOf(options, person);
        Assert.NotNull(owner);
        Assert.NotEqual(firstOwner, owner);
    }

    /// <summary>A holder that died loses the lease when it runs out, and its late release does not free the new holder's.</summary>
    [Fact]
    public async Task A_dead_holders_lease_runs_out_and_its_late_release_leaves_the_new_holders()
    {
        var (directory, options) = await CreateDynamoDirectoryAsync();
        var person = Guid.NewGuid();
        var dead = await directory.HoldPersonLeaseAsync(person, Ct);
        var deadOwner = await LeaseOwnerOf(options, person);

        var later = OtherProcess(options, new ManualTimeProvider(DateTimeOffset.UtcNow + DynamoDbFaceDirectory.LeaseDuration + TimeSpan.FromSeconds(5)));
        await using var taken = await later.HoldPersonLeaseAsync(person, Ct);
        var newOwner = await LeaseOwnerOf(options, person);
        await dead.DisposeAsync();

        Assert.NotEqual(deadOwner, newOwner);
        Assert.Equal(newOwner, await LeaseOwnerOf(options, person));
    }

    private async Task<string?> LeaseOwnerOf(AwsOptions options, Guid person)
    {
        var item = await Client.GetItemAsync(new GetItemRequest
        {
            TableName = options.PeopleTable,
            Key = new() { ["Id"] = new AttributeValue { S = "lease:" + person.ToString("D") } },
            ConsistentRead = true,
        }, Ct);
        return item.Item is { Count: > 0 } found ? found["Owner"].S : null;
    }

    /// <summary>A clock that moves on by <paramref name="step"/> each time it is read.</summary>
    private sealed class SteppingTimeProvider(DateTimeOffset start, TimeSpan step) : TimeProvider
    {
        private long _ticks = start.UtcTicks - step.Ticks;

        public override DateTimeOffset GetUtcNow() => new(Interlocked.Add(ref _ticks, step.Ticks), TimeSpan.Zero);
    }
}
