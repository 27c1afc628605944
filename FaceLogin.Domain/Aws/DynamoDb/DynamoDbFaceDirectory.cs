using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using FaceLogin.Domain.Ports;
using Microsoft.Extensions.Options;
using static FaceLogin.Domain.Aws.DynamoDb.DirectoryItems;

namespace FaceLogin.Domain.Aws.DynamoDb;

/// <summary>
/// The directory in three DynamoDB tables (docs/aws.md): people (with image claims), faces keyed by RekognitionId as in
/// the seed, and login attempts that expire by TTL. Items that must change together are written in one
/// TransactWriteItems with conditions, so a person never exists without their face records or the other way round,
/// and replaying a registration cannot create a second record for the same face or image.
/// </summary>
public sealed class DynamoDbFaceDirectory(IAmazonDynamoDB dynamoDb, IOptions<AwsOptions> options, TimeProvider time) : IFaceDirectory
{
    /// <summary>TransactWriteItems takes at most 100 items; a face costs two (its record and its image claim).</summary>
    private const int FacesPerTransaction = 45;

    private readonly string _people = options.Value.PeopleTable;
    private readonly string _faces = options.Value.FacesTable;
    private readonly string _attempts = options.Value.LoginAttemptsTable;
    private readonly TimeSpan _attemptRetention = TimeSpan.FromDays(options.Value.LoginAttemptRetentionDays);

    public DirectoryTables Tables => new(dynamoDb, _people, _faces, _attempts);

    public Task InitializeAsync(CancellationToken cancellationToken) => Tables.VerifyAsync(cancellationToken);

    public async Task AddPersonAsync(Person person, RegisteredFace firstFace, CancellationToken cancellationToken)
    {
        if (firstFace.PersonId != person.Id)
        {
            throw new ArgumentException("The first face must belong to the person being added.", nameof(firstFace));
        }

        await TransactAsync(
            $"Person {person.Id}, face {firstFace.FaceId} or image {firstFace.ImageKey} is already in the directory.",
            cancellationToken,
            PutNew(_people, PersonItem(person, [firstFace.FaceId]), Id),
            PutNew(_faces, FaceItem(firstFace, person.FullName), RekognitionId),
            PutNew(_people, ImageClaimItem(firstFace), Id));
    }

    public async Task AddFaceAsync(RegisteredFace face, CancellationToken cancellationToken)
    {
        var personItem = await GetItemAsync(_people, Id, PersonItemId(face.PersonId), cancellationToken);
        if (personItem is null || personItem[Kind].S != PersonKind)
        {
            throw new DirectoryConflictException($"Person {face.PersonId} is not in the directory.");
        }

        await TransactAsync(
            $"Face {face.FaceId} or image {face.ImageKey} is already in the directory, or person {face.PersonId} was removed.",
            cancellationToken,
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
            PutNew(_faces, FaceItem(face, personItem[FullName].S), RekognitionId),
            PutNew(_people, ImageClaimItem(face), Id));
    }

    public async Task<Person?> GetPersonAsync(Guid personId, CancellationToken cancellationToken) =>
        await GetItemAsync(_people, Id, PersonItemId(personId), cancellationToken) is { } item && item[Kind].S == PersonKind
            ? ReadPerson(item)
            : null;

    public async Task<RegisteredFace?> FindFaceAsync(string faceId, CancellationToken cancellationToken) =>
        await GetItemAsync(_faces, RekognitionId, faceId, cancellationToken) is { } item ? ReadFace(item) : null;

    public async Task<RegisteredFace?> FindFaceByImageKeyAsync(FaceImageKey imageKey, CancellationToken cancellationToken)
    {
        // The claim is read consistently (unlike a GSI), so a replayed S3 event sees a registration that just finished.
        var claim = await GetItemAsync(_people, Id, ImageClaimId(imageKey), cancellationToken);
        return claim is null ? null : await FindFaceAsync(claim[FaceId].S, cancellationToken);
    }

    public async Task<IReadOnlyList<RegisteredFace>> GetFacesAsync(Guid personId, CancellationToken cancellationToken)
    {
        var personItem = await GetItemAsync(_people, Id, PersonItemId(personId), cancellationToken);
        if (personItem is null || personItem[Kind].S != PersonKind)
        {
            return [];
        }

        var faces = await GetFacesByIdAsync(ReadFaceIds(personItem), cancellationToken);
        return [.. faces.OrderBy(f => f.IndexedAt).ThenBy(f => f.FaceId, StringComparer.Ordinal)];
    }

    /// <summary>
    /// A Scan with a filter, sorted by name in memory: people are few (an admin pages through them), so this costs one
    /// pass over the people table per page view. Past tens of thousands of people, add a GSI on NameKey and page with it.
    /// </summary>
    public async Task<PagedResult<PersonSummary>> ListPeopleAsync(PeopleQuery query, CancellationToken cancellationToken)
    {
        var page = new PageRequest(query.Page, Math.Clamp(query.PageSize, 1, PageRequest.MaxPageSize));
        var search = string.IsNullOrWhiteSpace(query.Search) ? null : NameSearchKey(query.Search);
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
        }, cancellationToken))
        {
            people.Add(item);
        }

        var pageItems = people
            .Select(item => (Person: ReadPerson(item), FaceIds: ReadFaceIds(item)))
            .OrderBy(p => NameSearchKey(p.Person.FullName), StringComparer.Ordinal)
            .ThenBy(p => p.Person.RegisteredAt)
            .ThenBy(p => p.Person.Id)
            .Skip(page.Skip)
            .Take(page.PageSize)
            .ToList();

        var faces = (await GetFacesByIdAsync(pageItems.SelectMany(p => p.FaceIds).ToList(), cancellationToken))
            .ToLookup(f => f.PersonId);
        var summaries = pageItems
            .Select(p => new PersonSummary(
                p.Person,
                p.FaceIds.Count,
                faces[p.Person.Id].OrderBy(f => f.IndexedAt).ThenBy(f => f.FaceId, StringComparer.Ordinal).FirstOrDefault()))
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

    public Task RecordSignInAsync(Guid personId, DateTimeOffset at, CancellationToken cancellationToken) =>
        UpdatePersonIfPresentAsync(personId, "SET #attr = :value", LastSignInAt, S(Time(at)), cancellationToken);

    public async Task<bool> DeletePersonAsync(Guid personId, CancellationToken cancellationToken)
    {
        // Optimistic: the last transaction deletes the person only if their face set is still what we read, so a face
        // added meanwhile makes it fail and we go round again instead of leaving an orphan face record.
        for (var attempt = 0; ; attempt++)
        {
            var personItem = await GetItemAsync(_people, Id, PersonItemId(personId), cancellationToken);
            if (personItem is null || personItem[Kind].S != PersonKind)
            {
                return false;
            }

            var faces = await GetFacesByIdAsync(ReadFaceIds(personItem), cancellationToken);
            try
            {
                // Large face sets go in chunks first; each chunk also takes its ids off the person, so every state in
                // between is consistent (a person with fewer faces).
                foreach (var chunk in faces.Chunk(FacesPerTransaction).SkipLast(1))
                {
                    await TransactAsync($"Person {personId} changed while being deleted.", cancellationToken,
                    [
                        .. chunk.SelectMany(DeleteFaceItems),
                        new TransactWriteItem
                        {
                            Update = new Update
                            {
                                TableName = _people,
                                Key = Key(Id, PersonItemId(personId)),
                                UpdateExpression = "DELETE #faceIds :faceIds",
                                ConditionExpression = "attribute_exists(#id)",
                                ExpressionAttributeNames = new() { ["#faceIds"] = FaceIds, ["#id"] = Id },
                                ExpressionAttributeValues = new() { [":faceIds"] = StringSet([.. chunk.Select(f => f.FaceId)]) },
                            },
                        },
                    ]);
                }

                var last = faces.Chunk(FacesPerTransaction).LastOrDefault() ?? [];
                var deletePerson = new Delete
                {
                    TableName = _people,
                    Key = Key(Id, PersonItemId(personId)),
                    ConditionExpression = last.Length == 0 ? "attribute_exists(#id) AND attribute_not_exists(#faceIds)" : "#faceIds = :faceIds",
                    ExpressionAttributeNames = last.Length == 0 ? new() { ["#id"] = Id, ["#faceIds"] = FaceIds } : new() { ["#faceIds"] = FaceIds },
                    ExpressionAttributeValues = last.Length == 0 ? null : new() { [":faceIds"] = StringSet([.. last.Select(f => f.FaceId)]) },
                };
                await TransactAsync($"Person {personId} changed while being deleted.", cancellationToken,
                    [.. last.SelectMany(DeleteFaceItems), new TransactWriteItem { Delete = deletePerson }]);
                break;
            }
            catch (DirectoryConflictException) when (attempt < 3)
            {
                // Someone added or removed a face meanwhile: read again and retry.
            }
        }

        await UnlinkLoginAttemptsAsync(personId, cancellationToken);
        return true;
    }

    public async Task<bool> DeleteFaceAsync(string faceId, CancellationToken cancellationToken)
    {
        if (await FindFaceAsync(faceId, cancellationToken) is not { } face)
        {
            return false;
        }

        var items = DeleteFaceItems(face).ToList();
        items.Add(new TransactWriteItem
        {
            Update = new Update
            {
                TableName = _people,
                Key = Key(Id, PersonItemId(face.PersonId)),
                UpdateExpression = "DELETE #faceIds :faceIds",
                ConditionExpression = "attribute_exists(#id)",
                ExpressionAttributeNames = new() { ["#faceIds"] = FaceIds, ["#id"] = Id },
                ExpressionAttributeValues = new() { [":faceIds"] = StringSet(faceId) },
            },
        });
        try
        {
            await TransactAsync($"Face {faceId} changed while being deleted.", cancellationToken, [.. items]);
        }
        catch (DirectoryConflictException)
        {
            // Deleted by someone else meanwhile: nothing of it is left, which is what the caller wanted.
            if (await FindFaceAsync(faceId, cancellationToken) is null)
            {
                return false;
            }

            throw;
        }

        return true;
    }

    public async Task AddLoginAttemptAsync(LoginAttempt attempt, CancellationToken cancellationToken)
    {
        // Expiry counts from the attempt's own time, so replayed or back-dated attempts do not live longer than the rest.
        var expiresAt = attempt.At + _attemptRetention;
        if (attempt.PersonId is { } personId && await GetPersonAsync(personId, cancellationToken) is null)
        {
            // The person was deleted a moment ago: the attempt is kept, without the link (as deletion unlinks the rest).
            attempt = attempt with { PersonId = null };
        }

        try
        {
            await dynamoDb.PutItemAsync(new PutItemRequest
            {
                TableName = _attempts,
                Item = AttemptItem(attempt, expiresAt),
                ConditionExpression = "attribute_not_exists(#id)",
                ExpressionAttributeNames = new() { ["#id"] = AttemptId },
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            throw new DirectoryConflictException($"Login attempt {attempt.Id} is already recorded.");
        }
    }

    /// <summary>
    /// Newest first from the (Feed, At) index. DynamoDB pages by key, not offset, so page N reads the N pages before it:
    /// fine for an admin looking at recent attempts, and attempts expire by TTL so the feed stays bounded.
    /// Items past their TTL that DynamoDB has not yet removed (it may take days) are filtered out.
    /// </summary>
    public async Task<PagedResult<LoginAttempt>> ListLoginAttemptsAsync(PageRequest page, CancellationToken cancellationToken)
    {
        var pageSize = Math.Clamp(page.PageSize, 1, PageRequest.MaxPageSize);
        var skip = page.Page * pageSize;
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
        var seen = 0;
        await foreach (var item in QueryAsync(Request(), cancellationToken))
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
        return new PagedResult<LoginAttempt>(items, await CountAsync(countRequest, cancellationToken));
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
        }, cancellationToken);
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

    private IEnumerable<TransactWriteItem> DeleteFaceItems(RegisteredFace face) =>
    [
        new TransactWriteItem { Delete = new Delete { TableName = _faces, Key = Key(RekognitionId, face.FaceId) } },
        new TransactWriteItem { Delete = new Delete { TableName = _people, Key = Key(Id, ImageClaimId(face.ImageKey)) } },
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
        }, cancellationToken))
        {
            ids.Add(item[AttemptId].S);
        }

        foreach (var id in ids)
        {
            try
            {
                await dynamoDb.UpdateItemAsync(new UpdateItemRequest
                {
                    TableName = _attempts,
                    Key = Key(AttemptId, id),
                    UpdateExpression = "REMOVE #person",
                    ConditionExpression = "attribute_exists(#id)",
                    ExpressionAttributeNames = new() { ["#person"] = PersonId, ["#id"] = AttemptId },
                }, cancellationToken);
            }
            catch (ConditionalCheckFailedException)
            {
                // Expired by TTL meanwhile: nothing left to unlink.
            }
        }
    }

    private async Task UpdatePersonIfPresentAsync(Guid personId, string expression, string attribute, AttributeValue value, CancellationToken cancellationToken)
    {
        try
        {
            await dynamoDb.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = _people,
                Key = Key(Id, PersonItemId(personId)),
                UpdateExpression = expression,
                ConditionExpression = "#kind = :person",
                ExpressionAttributeNames = new() { ["#attr"] = attribute, ["#kind"] = Kind },
                ExpressionAttributeValues = new() { [":value"] = value, [":person"] = S(PersonKind) },
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            // No such person: an update must not create a half-filled person item.
        }
    }

    private async Task<List<RegisteredFace>> GetFacesByIdAsync(IReadOnlyList<string> faceIds, CancellationToken cancellationToken)
    {
        var faces = new List<RegisteredFace>(faceIds.Count);
        foreach (var chunk in faceIds.Distinct(StringComparer.Ordinal).Chunk(100))
        {
            var pending = new Dictionary<string, KeysAndAttributes>
            {
                [_faces] = new KeysAndAttributes { Keys = [.. chunk.Select(id => Key(RekognitionId, id))], ConsistentRead = true },
            };
            for (var round = 0; pending.Count > 0; round++)
            {
                var response = await dynamoDb.BatchGetItemAsync(new BatchGetItemRequest { RequestItems = pending }, cancellationToken);
                if (response.Responses?.TryGetValue(_faces, out var items) == true)
                {
                    faces.AddRange(items.Select(ReadFace));
                }

                pending = response.UnprocessedKeys ?? [];
                if (pending.Count > 0)
                {
                    // Unprocessed keys mean throttling: back off before asking again, as AWS recommends.
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(50 << Math.Min(round, 6), 3000)), cancellationToken);
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
        }, cancellationToken);
        return response.Item is { Count: > 0 } item ? item : null;
    }

    private async IAsyncEnumerable<Dictionary<string, AttributeValue>> ScanAsync(
        ScanRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var response in dynamoDb.Paginators.Scan(request).Responses.WithCancellation(cancellationToken))
        {
            foreach (var item in response.Items ?? [])
            {
                yield return item;
            }
        }
    }

    private async IAsyncEnumerable<Dictionary<string, AttributeValue>> QueryAsync(
        QueryRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var response in dynamoDb.Paginators.Query(request).Responses.WithCancellation(cancellationToken))
        {
            foreach (var item in response.Items ?? [])
            {
                yield return item;
            }
        }
    }

    /// <summary>A COUNT is paged like any read (1 MB of items examined per page): the pages' counts add up.</summary>
    private async Task<long> CountAsync(QueryRequest request, CancellationToken cancellationToken)
    {
        long count = 0;
        await foreach (var response in dynamoDb.Paginators.Query(request).Responses.WithCancellation(cancellationToken))
        {
            count += response.Count ?? 0;
        }

        return count;
    }

    private async Task<long> CountAsync(ScanRequest request, CancellationToken cancellationToken)
    {
        long count = 0;
        await foreach (var response in dynamoDb.Paginators.Scan(request).Responses.WithCancellation(cancellationToken))
        {
            count += response.Count ?? 0;
        }

        return count;
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
        try
        {
            await dynamoDb.TransactWriteItemsAsync(new TransactWriteItemsRequest { TransactItems = [.. items] }, cancellationToken);
        }
        catch (TransactionCanceledException ex) when (ex.CancellationReasons?.Any(r => r.Code == "ConditionalCheckFailed") == true)
        {
            throw new DirectoryConflictException(conflictMessage);
        }
    }
}
