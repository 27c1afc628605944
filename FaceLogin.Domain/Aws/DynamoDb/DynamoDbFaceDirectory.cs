using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Registration;
using Microsoft.Extensions.Options;
using static FaceLogin.Domain.Aws.DynamoDb.DirectoryItems;

namespace FaceLogin.Domain.Aws.DynamoDb;

/// <summary>
/// The directory in three DynamoDB tables (docs/aws.md): people (with image claims), faces keyed by RekognitionId as in
/// the seed, and login attempts that expire by TTL. Items that must change together are written in one
/// TransactWriteItems with conditions, so a person never exists without their face records or the other way round,
/// and replaying a registration cannot create a second record for the same face or image. Face records belong to collection
/// generations (<see cref="ICollectionGenerations"/>, in <c>DynamoDbFaceDirectory.Generations.cs</c>): this instance reads and
/// registers the generation it serves.
/// </summary>
public sealed partial class DynamoDbFaceDirectory(IAmazonDynamoDB dynamoDb, IOptions<AwsOptions> options, TimeProvider time)
    : IFaceDirectory, ICollectionGenerations
{
    /// <summary>TransactWriteItems takes at most 100 items; a face costs two (its record and its image claim).</summary>
    private const int FacesPerTransaction = 45;

    /// <summary>Retries of a transaction that DynamoDB cancelled only because another one was changing the same items.</summary>
    private const int MaxTransactionConflictRetries = 4;

    /// <summary>How long a person's lease lasts unless released (see <see cref="HoldPersonLeaseAsync"/>).</summary>
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(2);

    /// <summary>How long a caller waits for a busy lease before giving up with a <see cref="TimeoutException"/>.</summary>
    public static readonly TimeSpan LeaseWait = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan LeaseFirstPoll = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LeaseMaxPoll = TimeSpan.FromSeconds(1);

    private readonly string _people = options.Value.PeopleTable;
    private readonly string _faces = options.Value.FacesTable;
    private readonly string _attempts = options.Value.LoginAttemptsTable;
    private readonly TimeSpan _attemptRetention = TimeSpan.FromDays(options.Value.LoginAttemptRetentionDays);

    /// <summary>Set once this process has seen the first-person marker; it is never deleted, so the answer cannot change.</summary>
    private volatile bool _firstPersonMarkerSeen;

    public DirectoryTables Tables => new(dynamoDb, _people, _faces, _attempts);

    /// <summary>Checks the tables exist (naming the provision command when not) and writes the first-person marker for tables from before it.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await Tables.VerifyAsync(cancellationToken).ConfigureAwait(false);
        await ServedAsync(cancellationToken).ConfigureAwait(false);
        if (await GetItemAsync(_people, Id, FirstPersonMarkerId, cancellationToken).ConfigureAwait(false) is not null)
        {
            _firstPersonMarkerSeen = true;
            return;
        }

        // People written before the marker existed: one scan, once, tells whether anybody was ever added.
        await foreach (var _ in ScanAsync(new ScanRequest
        {
            TableName = _people,
            FilterExpression = "#kind = :person",
            ProjectionExpression = "#id",
            ExpressionAttributeNames = new() { ["#kind"] = Kind, ["#id"] = Id },
            ExpressionAttributeValues = new() { [":person"] = S(PersonKind) },
            ConsistentRead = true,
        }, cancellationToken).ConfigureAwait(false))
        {
            await EnsureFirstPersonMarkerAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
    }

    /// <summary>The marker is written before the person: a person never exists without it (a failed add leaves only the marker).</summary>
    public async Task AddPersonAsync(Person person, RegisteredFace firstFace, CancellationToken cancellationToken)
    {
        CheckFirstFace(person, firstFace);
        var served = await ServedAsync(cancellationToken).ConfigureAwait(false);
        await EnsureFirstPersonMarkerAsync(cancellationToken).ConfigureAwait(false);
        await RegisterAsync(served, PersonConflictMessage(person, firstFace), cancellationToken, PersonItems(person, firstFace, served.Number)).ConfigureAwait(false);
    }

    /// <summary>
    /// While the marker is missing, the person is written as admin together with the marker (attribute_not_exists): of two
    /// first sign-ups in any processes, one transaction wins, and the other finds the marker and is written as given.
    /// </summary>
    public async Task<Person> AddPersonAdminIfFirstAsync(Person person, RegisteredFace firstFace, CancellationToken cancellationToken)
    {
        CheckFirstFace(person, firstFace);
        var served = await ServedAsync(cancellationToken).ConfigureAwait(false);
        while (!_firstPersonMarkerSeen)
        {
            var admin = person with { IsAdmin = true };
            var marker = PutNew(_people, new() { [Id] = S(FirstPersonMarkerId), [Kind] = S(MetaKind) }, Id);
            var failed = await TryRegisterAsync(served, cancellationToken, [.. PersonItems(admin, firstFace, served.Number), marker]).ConfigureAwait(false);
            if (failed is null)
            {
                _firstPersonMarkerSeen = true;
                return admin;
            }

            if (failed.SkipLast(1).Any(IsConditionFailure))
            {
                throw new DirectoryConflictException(PersonConflictMessage(person, firstFace));
            }

            // Only the marker's condition failed: somebody was first already.
            _firstPersonMarkerSeen = true;
        }

        await RegisterAsync(served, PersonConflictMessage(person, firstFace), cancellationToken, PersonItems(person, firstFace, served.Number)).ConfigureAwait(false);
        return person;
    }

    private static void CheckFirstFace(Person person, RegisteredFace firstFace)
    {
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(firstFace);
        if (firstFace.PersonId != person.Id)
        {
            throw new ArgumentException("The first face must belong to the person being added.", nameof(firstFace));
        }
    }

    private static string PersonConflictMessage(Person person, RegisteredFace firstFace) =>
        $"Person {person.Id}, face {firstFace.FaceId} or image {firstFace.ImageKey} is already in the directory.";

    private TransactWriteItem[] PersonItems(Person person, RegisteredFace firstFace, int generation) =>
    [
        PutNew(_people, PersonItem(person, [firstFace.FaceId]), Id),
        PutNew(_faces, FaceItem(firstFace, person.FullName, generation), RekognitionId),
        PutNew(_people, ImageClaimItem(firstFace, generation), Id),
    ];

    private async Task EnsureFirstPersonMarkerAsync(CancellationToken cancellationToken)
    {
        if (_firstPersonMarkerSeen)
        {
            return;
        }

        // Already there (the condition fails) is all this call wanted.
        await IfConditionHoldsAsync(() => dynamoDb.PutItemAsync(new PutItemRequest
        {
            TableName = _people,
            Item = new() { [Id] = S(FirstPersonMarkerId), [Kind] = S(MetaKind) },
            ConditionExpression = "attribute_not_exists(#id)",
            ExpressionAttributeNames = new() { ["#id"] = Id },
        }, cancellationToken)).ConfigureAwait(false);
        _firstPersonMarkerSeen = true;
    }

    /// <summary>
    /// A conditional put of <c>lease:{personId}</c> that succeeds when there is no lease or it has run out, with a random owner
    /// token, so only the holder's release deletes it. Busy: retried with backoff for up to <see cref="LeaseWait"/>. The lease
    /// lasts <see cref="LeaseDuration"/>, far longer than a registration (seconds) and within Lambda's longest run, so it only
    /// runs out under a holder that died; clocks of the processes must agree to well within it. <c>ExpiresAt</c> lets TTL
    /// remove a dead holder's item if TTL is turned on for the table; correctness does not depend on it.
    /// </summary>
    public async Task<IAsyncDisposable> HoldPersonLeaseAsync(Guid personId, CancellationToken cancellationToken)
    {
        var itemId = LeaseItemId(personId);
        var owner = Guid.NewGuid().ToString("N");
        var waitUntil = time.GetUtcNow() + LeaseWait;
        for (var attempt = 0; ; attempt++)
        {
            if (await TryTakeLeaseAsync(itemId, owner, LeaseDuration, cancellationToken).ConfigureAwait(false))
            {
                return new Lease(this, itemId, owner);
            }

            if (time.GetUtcNow() >= waitUntil)
            {
                throw new TimeoutException($"Person {personId} was still being registered or deleted elsewhere after {LeaseWait.TotalSeconds:0} s.");
            }

            var cap = Math.Min(LeaseMaxPoll.TotalMilliseconds, LeaseFirstPoll.TotalMilliseconds * Math.Pow(2, attempt));
            await Task.Delay(TimeSpan.FromMilliseconds(cap / 2 + Random.Shared.NextDouble() * cap / 2), time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Puts the lease item <paramref name="itemId"/> for <paramref name="owner"/> if there is none or it has run out; false when
    /// somebody else holds it.
    /// </summary>
    private Task<bool> TryTakeLeaseAsync(string itemId, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return IfConditionHoldsAsync(() => dynamoDb.PutItemAsync(new PutItemRequest
        {
            TableName = _people,
            Item = new()
            {
                [Id] = S(itemId),
                [Kind] = S(LeaseKind),
                [LeaseOwner] = S(owner),
                [LeaseUntil] = S(Time(now + duration)),
                [ExpiresAt] = N((now + duration + duration).ToUnixTimeSeconds()),
            },
            ConditionExpression = "attribute_not_exists(#id) OR #until < :now",
            ExpressionAttributeNames = new() { ["#id"] = Id, ["#until"] = LeaseUntil },
            ExpressionAttributeValues = new() { [":now"] = S(Time(now)) },
        }, cancellationToken));
    }

    /// <summary>
    /// Deletes the lease only if this holder still owns it: after running out it may be somebody else's (or gone), and then
    /// the condition leaves it alone.
    /// </summary>
    private Task ReleaseLeaseAsync(string itemId, string owner) =>
        IfConditionHoldsAsync(() => dynamoDb.DeleteItemAsync(new DeleteItemRequest
        {
            TableName = _people,
            Key = new() { [Id] = S(itemId) },
            ConditionExpression = "#owner = :owner",
            ExpressionAttributeNames = new() { ["#owner"] = LeaseOwner },
            ExpressionAttributeValues = new() { [":owner"] = S(owner) },
        }, CancellationToken.None));

    private sealed class Lease(DynamoDbFaceDirectory directory, string itemId, string owner) : IAsyncDisposable
    {
        private int _released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                await directory.ReleaseLeaseAsync(itemId, owner).ConfigureAwait(false);
            }
        }
    }

    public async Task AddFaceAsync(RegisteredFace face, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(face);
        var served = await ServedAsync(cancellationToken).ConfigureAwait(false);
        if (await GetPersonItemAsync(face.PersonId, cancellationToken).ConfigureAwait(false) is not { } personItem)
        {
            throw new DirectoryConflictException($"Person {face.PersonId} is not in the directory.");
        }

        await RegisterAsync(
            served,
            $"Face {face.FaceId} or image {face.ImageKey} is already in the directory, or person {face.PersonId} was removed.",
            cancellationToken,
            [.. FaceItems(face, personItem[FullName].S, served.Number)]).ConfigureAwait(false);
    }

    /// <summary>
    /// A face record of a generation: the face id added to the person's <c>FaceIds</c> (on condition that the person exists; the
    /// set lists the faces of every generation, so deleting the person finds them all), the face item and its image claim (both new).
    /// </summary>
    private IEnumerable<TransactWriteItem> FaceItems(RegisteredFace face, string fullName, int generation) =>
    [
        new TransactWriteItem
        {
            Update = new Update
            {
                TableName = _people,
                Key = Key(Id, PersonItemId(face.PersonId)),
                UpdateExpression = "ADD #faceIds :faceId",
                ConditionExpression = "attribute_exists(#id)",
                ExpressionAttributeNames = new() { ["#faceIds"] = FaceIds, ["#id"] = Id },
                ExpressionAttributeValues = new() { [":faceId"] = StringSet(face.FaceId) },
            },
        },
        PutNew(_faces, FaceItem(face, fullName, generation), RekognitionId),
        PutNew(_people, ImageClaimItem(face, generation), Id),
    ];

    /// <summary>The person's item, or null when there is no such person.</summary>
    private async Task<Dictionary<string, AttributeValue>?> GetPersonItemAsync(Guid personId, CancellationToken cancellationToken) =>
        await GetItemAsync(_people, Id, PersonItemId(personId), cancellationToken).ConfigureAwait(false) is { } item && item[Kind].S == PersonKind
            ? item
            : null;

    public async Task<Person?> GetPersonAsync(Guid personId, CancellationToken cancellationToken) =>
        await GetPersonItemAsync(personId, cancellationToken).ConfigureAwait(false) is { } item ? ReadPerson(item) : null;

    /// <summary>Only a face of the served generation: another generation's face id belongs to another collection.</summary>
    public async Task<RegisteredFace?> FindFaceAsync(string faceId, CancellationToken cancellationToken)
    {
        var served = await ServedAsync(cancellationToken).ConfigureAwait(false);
        return await FindFaceRecordAsync(faceId, cancellationToken).ConfigureAwait(false) is { } record && record.Generation == served.Number
            ? record.Face
            : null;
    }

    private async Task<FaceRecord?> FindFaceRecordAsync(string faceId, CancellationToken cancellationToken) =>
        await GetItemAsync(_faces, RekognitionId, faceId, cancellationToken).ConfigureAwait(false) is { } item ? ReadFaceRecord(item) : null;

    public async Task<RegisteredFace?> FindFaceByImageKeyAsync(FaceImageKey imageKey, CancellationToken cancellationToken)
    {
        var served = await ServedAsync(cancellationToken).ConfigureAwait(false);
        // The claim is read consistently (unlike a GSI), so a replayed S3 event sees a registration that just finished.
        var claim = await GetItemAsync(_people, Id, ImageClaimId(imageKey, served.Number), cancellationToken).ConfigureAwait(false);
        return claim is null ? null : await FindFaceAsync(claim[FaceId].S, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<RegisteredFace>> GetFacesAsync(Guid personId, CancellationToken cancellationToken)
    {
        var served = await ServedAsync(cancellationToken).ConfigureAwait(false);
        if (await GetPersonItemAsync(personId, cancellationToken).ConfigureAwait(false) is not { } personItem)
        {
            return [];
        }

        var faces = await GetFacesByIdAsync(ReadFaceIds(personItem), cancellationToken).ConfigureAwait(false);
        return [.. InOrder(OfGeneration(faces, served.Number))];
    }

    private static IEnumerable<RegisteredFace> OfGeneration(IEnumerable<FaceRecord> records, int generation) =>
        records.Where(r => r.Generation == generation).Select(r => r.Face);

    /// <summary>Oldest first, as registered; the face id breaks ties so the order never changes between reads.</summary>
    private static IOrderedEnumerable<RegisteredFace> InOrder(IEnumerable<RegisteredFace> faces) =>
        faces.OrderBy(f => f.IndexedAt).ThenBy(f => f.FaceId, StringComparer.Ordinal);

    /// <summary>
    /// A Scan with a filter, sorted by name in memory: people are few (an admin pages through them), so this costs one
    /// pass over the people table per page view. Past tens of thousands of people, add a GSI on NameKey and page with it.
    /// </summary>
    public async Task<PagedResult<PersonSummary>> ListPeopleAsync(PeopleQuery query, CancellationToken cancellationToken)
    {
        var served = await ServedAsync(cancellationToken).ConfigureAwait(false);
        var page = new PageRequest(query.Page, query.PageSize);
        var search = string.IsNullOrWhiteSpace(query.Search) ? null : PersonName.SearchKey(query.Search);
        var filter = "#kind = :person" + (search is null ? string.Empty : " AND contains(#nameKey, :search)");
        var values = new Dictionary<string, AttributeValue> { [":person"] = S(PersonKind) };
        if (search is not null)
        {
            values[":search"] = S(search);
        }

        var people = new List<Dictionary<string, AttributeValue>>();
        await foreach (var item in ScanAsync(new ScanRequest
        {
            TableName = _people,
            FilterExpression = filter,
            ExpressionAttributeNames = search is null
                ? new() { ["#kind"] = Kind }
                : new() { ["#kind"] = Kind, ["#nameKey"] = NameKey },
            ExpressionAttributeValues = values,
            ConsistentRead = true,
        }, cancellationToken).ConfigureAwait(false))
        {
            people.Add(item);
        }

        var pageItems = people
            .Select(item => (Person: ReadPerson(item), FaceIds: ReadFaceIds(item)))
            .OrderBy(p => PersonName.SearchKey(p.Person.FullName), StringComparer.Ordinal)
            .ThenBy(p => p.Person.RegisteredAt)
            .ThenBy(p => p.Person.Id)
            .Skip((int)Math.Min(page.Offset, int.MaxValue))
            .Take(page.Limit)
            .ToList();

        // FaceIds lists every generation's faces: the count and the first face are the served generation's.
        var faces = OfGeneration(await GetFacesByIdAsync(pageItems.SelectMany(p => p.FaceIds).ToList(), cancellationToken).ConfigureAwait(false), served.Number)
            .ToLookup(f => f.PersonId);
        var summaries = pageItems
            .Select(p => new PersonSummary(p.Person, faces[p.Person.Id].Count(), InOrder(faces[p.Person.Id]).FirstOrDefault()))
            .ToList();
        return new PagedResult<PersonSummary>(summaries, people.Count);
    }

    public Task<long> CountPeopleAsync(CancellationToken cancellationToken) =>
        CountAsync(new ScanRequest
        {
            TableName = _people,
            Select = Select.COUNT,
            FilterExpression = "#kind = :person",
            ExpressionAttributeNames = new() { ["#kind"] = Kind },
            ExpressionAttributeValues = new() { [":person"] = S(PersonKind) },
            ConsistentRead = true,
        }, cancellationToken);

    public Task SetAdminAsync(Guid personId, bool isAdmin, CancellationToken cancellationToken) =>
        UpdatePersonIfPresentAsync(personId, "SET #attr = :value", IsAdmin, Bool(isAdmin), cancellationToken);

    /// <summary>ADD is atomic on the item, so concurrent sign-outs all count; conditional, so it never creates a person.</summary>
    public Task EndSessionsAsync(Guid personId, CancellationToken cancellationToken) =>
        UpdatePersonIfPresentAsync(personId, "ADD #attr :value", SessionVersion, N(1L), cancellationToken);

    /// <summary>A success ends a run of near-matches: the count goes back to 0 in the same write.</summary>
    public Task RecordSignInAsync(Guid personId, DateTimeOffset at, CancellationToken cancellationToken) =>
        UpdatePersonIfPresentAsync(personId, $"SET #attr = :value, {FailedNearMatches} = :zero", LastSignInAt, S(Time(at)), cancellationToken,
            (":zero", N(0L)));

    public async Task<bool> DeletePersonAsync(Guid personId, CancellationToken cancellationToken)
    {
        // Optimistic: the last transaction deletes the person only if their face set is still what we read, so a face
        // added meanwhile makes it fail and we go round again instead of leaving an orphan face record.
        for (var attempt = 0; ; attempt++)
        {
            if (await GetPersonItemAsync(personId, cancellationToken).ConfigureAwait(false) is not { } personItem)
            {
                return false;
            }

            // Faces of every generation: a re-index in progress or a previous generation not yet deleted hold the person too.
            var faces = await GetFacesByIdAsync(ReadFaceIds(personItem), cancellationToken).ConfigureAwait(false);
            try
            {
                // Large face sets go in chunks first; each chunk also takes its ids off the person, so every state in
                // between is consistent (a person with fewer faces).
                foreach (var chunk in faces.Chunk(FacesPerTransaction).SkipLast(1))
                {
                    await TransactAsync($"Person {personId} changed while being deleted.", cancellationToken,
                        [.. chunk.SelectMany(DeleteFaceItems), RemoveFaceIdsFromPerson(personId, chunk.Select(f => f.Face.FaceId))]).ConfigureAwait(false);
                }

                var last = faces.Chunk(FacesPerTransaction).LastOrDefault() ?? [];
                var deletePerson = new Delete
                {
                    TableName = _people,
                    Key = Key(Id, PersonItemId(personId)),
                    ConditionExpression = last.Length == 0 ? "attribute_exists(#id) AND attribute_not_exists(#faceIds)" : "#faceIds = :faceIds",
                    ExpressionAttributeNames = last.Length == 0 ? new() { ["#id"] = Id, ["#faceIds"] = FaceIds } : new() { ["#faceIds"] = FaceIds },
                    ExpressionAttributeValues = last.Length == 0 ? null : new() { [":faceIds"] = StringSet([.. last.Select(f => f.Face.FaceId)]) },
                };
                await TransactAsync($"Person {personId} changed while being deleted.", cancellationToken,
                    [.. last.SelectMany(DeleteFaceItems), new TransactWriteItem { Delete = deletePerson }]).ConfigureAwait(false);
                break;
            }
            catch (DirectoryConflictException) when (attempt < 3)
            {
                // Someone added or removed a face meanwhile: read again and retry.
            }
        }

        await UnlinkLoginAttemptsAsync(personId, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>By face id, whichever generation it belongs to (as in SQLite): a face id is unique across collections.</summary>
    public async Task<bool> DeleteFaceAsync(string faceId, CancellationToken cancellationToken)
    {
        if (await FindFaceRecordAsync(faceId, cancellationToken).ConfigureAwait(false) is not { } record)
        {
            return false;
        }

        try
        {
            await TransactAsync($"Face {faceId} changed while being deleted.", cancellationToken,
                [.. DeleteFaceItems(record), RemoveFaceIdsFromPerson(record.Face.PersonId, [faceId])]).ConfigureAwait(false);
        }
        catch (DirectoryConflictException)
        {
            // Deleted by someone else meanwhile: nothing of it is left, which is what the caller wanted.
            if (await FindFaceRecordAsync(faceId, cancellationToken).ConfigureAwait(false) is null)
            {
                return false;
            }

            throw;
        }

        return true;
    }

    /// <summary>
    /// The attempt and its client address's ledger change in one transaction: the attempt is no longer in progress, and an
    /// outcome that counts as a miss adds its slot to the misses.
    /// </summary>
    public async Task AddLoginAttemptAsync(LoginAttempt attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        // Expiry counts from the attempt's own time, so replayed or back-dated attempts do not live longer than the rest.
        var expiresAt = attempt.At + _attemptRetention;
        if (attempt.PersonId is { } personId && await GetPersonAsync(personId, cancellationToken).ConfigureAwait(false) is null)
        {
            // The person was deleted a moment ago: the attempt is kept, without the link (as deletion unlinks the rest).
            attempt = attempt with { PersonId = null };
        }

        var slot = LockOutSlot(attempt.At, attempt.Id);
        await TransactAsync($"Login attempt {attempt.Id} is already recorded.", cancellationToken,
            PutNew(_attempts, AttemptItem(attempt, expiresAt), AttemptId),
            new TransactWriteItem
            {
                Update = new Update
                {
                    TableName = _attempts,
                    Key = Key(AttemptId, LockOutItemId(attempt.ClientAddress)),
                    // Ends the attempt in progress; a miss keeps its slot among the misses. The version tells a gate deciding on
                    // the ledger meanwhile that it changed (see TryStartLoginAttemptAsync).
                    UpdateExpression = (attempt.Outcome.CountsTowardsLockOut() ? $"ADD #version :one, {LockOutSlots} :slot" : "ADD #version :one")
                        + " DELETE #pending :slot SET #expiresAt = :expiresAt",
                    ExpressionAttributeNames = new() { ["#pending"] = PendingSlots, ["#version"] = LedgerVersion, ["#expiresAt"] = ExpiresAt },
                    ExpressionAttributeValues = new() { [":slot"] = StringSet(slot), [":one"] = N(1L), [":expiresAt"] = N(expiresAt.ToUnixTimeSeconds()) },
                },
            }).ConfigureAwait(false);
    }

    /// <summary>
    /// Newest first from the (Feed, At) index. DynamoDB pages by key, not offset, so page N reads the N pages before it:
    /// fine for an admin looking at recent attempts, and attempts expire by TTL so the feed stays bounded.
    /// Items past their TTL that DynamoDB has not yet removed (it may take days) are filtered out.
    /// </summary>
    public async Task<PagedResult<LoginAttempt>> ListLoginAttemptsAsync(PageRequest page, CancellationToken cancellationToken)
    {
        var pageSize = page.Limit;
        var skip = page.Offset;
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        QueryRequest Request() => new()
        {
            TableName = _attempts,
            IndexName = FeedIndex,
            KeyConditionExpression = "#feed = :feed",
            FilterExpression = "#expiresAt > :now",
            ExpressionAttributeNames = new() { ["#feed"] = Feed, ["#expiresAt"] = ExpiresAt },
            ExpressionAttributeValues = new() { [":feed"] = S(FeedValue), [":now"] = N(now) },
            ScanIndexForward = false,
        };

        var items = new List<LoginAttempt>(pageSize);
        long seen = 0;
        await foreach (var item in QueryAsync(Request(), cancellationToken).ConfigureAwait(false))
        {
            if (seen++ >= skip)
            {
                items.Add(ReadAttempt(item));
                if (items.Count == pageSize)
                {
                    break;
                }
            }
        }

        var countRequest = Request();
        countRequest.Select = Select.COUNT;
        return new PagedResult<LoginAttempt>(items, await CountAsync(countRequest, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// The attempts <see cref="LoginOutcomeExtensions.CountsTowardsLockOut"/> picks, from the (ClientAddress, At) index:
    /// a key condition on the address and time, a filter on the outcome.
    /// </summary>
    public async Task<int> CountFailedAttemptsAsync(string clientAddress, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var outcomes = LoginOutcomeExtensions.LockOutOutcomes;
        var values = new Dictionary<string, AttributeValue>
        {
            [":client"] = S(clientAddress),
            [":since"] = S(Time(since)),
        };
        for (var i = 0; i < outcomes.Count; i++)
        {
            values[$":outcome{i}"] = S(outcomes[i].ToString());
        }

        return (int)await CountAsync(new QueryRequest
        {
            TableName = _attempts,
            IndexName = ClientIndex,
            Select = Select.COUNT,
            KeyConditionExpression = "#client = :client AND #at >= :since",
            FilterExpression = $"#outcome IN ({string.Join(", ", outcomes.Select((_, i) => $":outcome{i}"))})",
            ExpressionAttributeNames = new() { ["#client"] = ClientAddress, ["#at"] = At, ["#outcome"] = Outcome },
            ExpressionAttributeValues = values,
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<long> CountAdminsAsync(CancellationToken cancellationToken) =>
        CountAsync(new ScanRequest
        {
            TableName = _people,
            Select = Select.COUNT,
            FilterExpression = "#kind = :person AND #admin = :true",
            ExpressionAttributeNames = new() { ["#kind"] = Kind, ["#admin"] = IsAdmin },
            ExpressionAttributeValues = new() { [":person"] = S(PersonKind), [":true"] = Bool(true) },
            ConsistentRead = true,
        }, cancellationToken);

    /// <summary>Takes face ids off the person's set, on condition that the person still exists.</summary>
    private TransactWriteItem RemoveFaceIdsFromPerson(Guid personId, IEnumerable<string> faceIds) => new()
    {
        Update = new Update
        {
            TableName = _people,
            Key = Key(Id, PersonItemId(personId)),
            UpdateExpression = "DELETE #faceIds :faceIds",
            ConditionExpression = "attribute_exists(#id)",
            ExpressionAttributeNames = new() { ["#faceIds"] = FaceIds, ["#id"] = Id },
            ExpressionAttributeValues = new() { [":faceIds"] = StringSet([.. faceIds]) },
        },
    };

    private IEnumerable<TransactWriteItem> DeleteFaceItems(FaceRecord record) =>
    [
        new TransactWriteItem { Delete = new Delete { TableName = _faces, Key = Key(RekognitionId, record.Face.FaceId) } },
        new TransactWriteItem { Delete = new Delete { TableName = _people, Key = Key(Id, ImageClaimId(record.Face.ImageKey, record.Generation)) } },
    ];

    private async Task UnlinkLoginAttemptsAsync(Guid personId, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await foreach (var item in QueryAsync(new QueryRequest
        {
            TableName = _attempts,
            IndexName = PersonIndex,
            KeyConditionExpression = "#person = :person",
            ExpressionAttributeNames = new() { ["#person"] = PersonId },
            ExpressionAttributeValues = new() { [":person"] = S(PersonItemId(personId)) },
        }, cancellationToken).ConfigureAwait(false))
        {
            ids.Add(item[AttemptId].S);
        }

        foreach (var id in ids)
        {
            // An attempt expired by TTL meanwhile fails the condition: nothing left to unlink.
            await IfConditionHoldsAsync(() => dynamoDb.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = _attempts,
                Key = Key(AttemptId, id),
                UpdateExpression = "REMOVE #person",
                ConditionExpression = "attribute_exists(#id)",
                ExpressionAttributeNames = new() { ["#person"] = PersonId, ["#id"] = AttemptId },
            }, cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>No such person fails the condition: an update must not create a half-filled person item.</summary>
    private Task UpdatePersonIfPresentAsync(Guid personId, string expression, string attribute, AttributeValue value, CancellationToken cancellationToken,
        params (string Name, AttributeValue Value)[] moreValues) =>
        IfConditionHoldsAsync(() => dynamoDb.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = _people,
            Key = Key(Id, PersonItemId(personId)),
            UpdateExpression = expression,
            ConditionExpression = "#kind = :person",
            ExpressionAttributeNames = new() { ["#attr"] = attribute, ["#kind"] = Kind },
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":value"] = value, [":person"] = S(PersonKind) }
                .Concat(moreValues.Select(v => KeyValuePair.Create(v.Name, v.Value))).ToDictionary(),
        }, cancellationToken));

    /// <summary>
    /// A conditional single-item write whose failed condition is an answer, not an error: false when it failed (nothing was
    /// written). Each caller says why a failed condition is fine.
    /// </summary>
    private static async Task<bool> IfConditionHoldsAsync(Func<Task> write)
    {
        try
        {
            await write().ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    private async Task<List<FaceRecord>> GetFacesByIdAsync(IReadOnlyList<string> faceIds, CancellationToken cancellationToken)
    {
        var faces = new List<FaceRecord>(faceIds.Count);
        foreach (var chunk in faceIds.Distinct(StringComparer.Ordinal).Chunk(100))
        {
            var pending = new Dictionary<string, KeysAndAttributes>
            {
                [_faces] = new KeysAndAttributes { Keys = [.. chunk.Select(id => Key(RekognitionId, id))], ConsistentRead = true },
            };
            for (var round = 0; pending.Count > 0; round++)
            {
                var response = await dynamoDb.BatchGetItemAsync(new BatchGetItemRequest { RequestItems = pending }, cancellationToken).ConfigureAwait(false);
                if (response.Responses?.TryGetValue(_faces, out var items) == true)
                {
                    faces.AddRange(items.Select(ReadFaceRecord));
                }

                pending = response.UnprocessedKeys ?? [];
                if (pending.Count > 0)
                {
                    // Unprocessed keys mean throttling: back off before asking again, as AWS recommends.
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(50 << Math.Min(round, 6), 3000)), cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return faces;
    }

    private async Task<Dictionary<string, AttributeValue>?> GetItemAsync(string table, string keyName, string keyValue, CancellationToken cancellationToken)
    {
        var response = await dynamoDb.GetItemAsync(new GetItemRequest
        {
            TableName = table,
            Key = Key(keyName, keyValue),
            ConsistentRead = true,
        }, cancellationToken).ConfigureAwait(false);
        return response.Item is { Count: > 0 } item ? item : null;
    }

    private IAsyncEnumerable<Dictionary<string, AttributeValue>> ScanAsync(ScanRequest request, CancellationToken cancellationToken) =>
        ItemsOf(dynamoDb.Paginators.Scan(request).Responses, response => response.Items, cancellationToken);

    private IAsyncEnumerable<Dictionary<string, AttributeValue>> QueryAsync(QueryRequest request, CancellationToken cancellationToken) =>
        ItemsOf(dynamoDb.Paginators.Query(request).Responses, response => response.Items, cancellationToken);

    /// <summary>A COUNT is paged like any read (1 MB of items examined per page): the pages' counts add up.</summary>
    private Task<long> CountAsync(QueryRequest request, CancellationToken cancellationToken) =>
        SumAsync(dynamoDb.Paginators.Query(request).Responses, response => response.Count, cancellationToken);

    /// <inheritdoc cref="CountAsync(QueryRequest, CancellationToken)"/>
    private Task<long> CountAsync(ScanRequest request, CancellationToken cancellationToken) =>
        SumAsync(dynamoDb.Paginators.Scan(request).Responses, response => response.Count, cancellationToken);

    private static async IAsyncEnumerable<Dictionary<string, AttributeValue>> ItemsOf<TResponse>(
        IAsyncEnumerable<TResponse> pages,
        Func<TResponse, List<Dictionary<string, AttributeValue>>?> items,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var page in pages.WithCancellation(cancellationToken))
        {
            foreach (var item in items(page) ?? [])
            {
                yield return item;
            }
        }
    }

    private static async Task<long> SumAsync<TResponse>(IAsyncEnumerable<TResponse> pages, Func<TResponse, int?> count, CancellationToken cancellationToken)
    {
        long total = 0;
        await foreach (var page in pages.WithCancellation(cancellationToken))
        {
            total += count(page) ?? 0;
        }

        return total;
    }

    private static TransactWriteItem PutNew(string table, Dictionary<string, AttributeValue> item, string keyName) => new()
    {
        Put = new Put
        {
            TableName = table,
            Item = item,
            ConditionExpression = "attribute_not_exists(#key)",
            ExpressionAttributeNames = new() { ["#key"] = keyName },
        },
    };

    private async Task TransactAsync(string conflictMessage, CancellationToken cancellationToken, params TransactWriteItem[] items)
    {
        if (await TryTransactAsync(cancellationToken, items).ConfigureAwait(false) is not null)
        {
            throw new DirectoryConflictException(conflictMessage);
        }
    }

    /// <summary>
    /// Null when the transaction was written; the cancellation reasons (one per item, in order) when a condition failed.
    /// A transaction cancelled only because another was changing the same items wrote nothing and is tried again.
    /// </summary>
    private async Task<IReadOnlyList<CancellationReason>?> TryTransactAsync(CancellationToken cancellationToken, params TransactWriteItem[] items)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await dynamoDb.TransactWriteItemsAsync(new TransactWriteItemsRequest { TransactItems = [.. items] }, cancellationToken).ConfigureAwait(false);
                return null;
            }
            catch (TransactionCanceledException ex) when (ex.CancellationReasons?.Any(IsConditionFailure) == true)
            {
                return ex.CancellationReasons;
            }
            catch (TransactionCanceledException ex) when (attempt < MaxTransactionConflictRetries
                && ex.CancellationReasons?.Any(r => r.Code == "TransactionConflict") == true)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(20, 60) << attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static bool IsConditionFailure(CancellationReason reason) => reason.Code == "ConditionalCheckFailed";
}
