using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using FaceLogin.Domain.Ports;
using static FaceLogin.Domain.Aws.DynamoDb.DirectoryItems;

namespace FaceLogin.Domain.Aws.DynamoDb;

/// <summary>
/// Collection generations in DynamoDB (<see cref="ICollectionGenerations"/>, docs/aws.md): face items carry a <c>Generation</c>
/// (absent: 0), each generation claims an image under its own key, and the active generation (<c>meta:collection</c>) and the
/// re-index in progress (<c>meta:reindex</c>) are items of the people table. A registration carries a ConditionCheck on
/// <c>meta:collection</c> in its transaction, and the switch is one transaction, so no registration lands in a generation
/// that has stopped being the active one.
/// </summary>
public sealed partial class DynamoDbFaceDirectory
{
    /// <summary>How long <see cref="HoldReindexLockAsync"/> tries before saying another re-index runs.</summary>
    public static readonly TimeSpan ReindexLockWait = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long the re-index lock lasts past its last renewal: a holder that dies (killed, its machine gone) frees it within
    /// this. Renewed every <see cref="ReindexLockRenewal"/>, so two renewals can fail (a network blip) before it runs out.
    /// </summary>
    public static readonly TimeSpan ReindexLockLease = TimeSpan.FromSeconds(60);

    public static readonly TimeSpan ReindexLockRenewal = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan ReindexLockPoll = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Face records deleted per transaction by the generation clean-ups: each costs two deletes (face, claim) and at most one
    /// person update, plus the check that the generation is not the active one, within TransactWriteItems' 100.
    /// </summary>
    private const int FacesPerCleanupTransaction = 32;

    /// <summary>Page size of the scans behind <see cref="AbandonReindexAsync"/>.</summary>
    private const int AbandonBatch = 100;

    /// <summary>The fewest items a <see cref="ListFacesAsync"/> scan call examines, so a small page does not take many tiny calls.</summary>
    private const int MinScanBatch = 100;

    /// <summary>The generation this instance serves, read once (boxed: generation 0 before any switch is a null generation).</summary>
    private ServedGeneration? _served;

    private sealed record ServedGeneration(CollectionGeneration? Generation)
    {
        public int Number => Generation?.Number ?? 0;
    }

    public async Task<CollectionGeneration?> GetServedGenerationAsync(CancellationToken cancellationToken) =>
        (await ServedAsync(cancellationToken).ConfigureAwait(false)).Generation;

    public async Task<CollectionGeneration?> ReadActiveGenerationAsync(CancellationToken cancellationToken) =>
        await GetItemAsync(_people, Id, ActiveGenerationId, cancellationToken).ConfigureAwait(false) is { } item ? ReadActiveGeneration(item) : null;

    public async Task<ReindexTarget?> GetReindexTargetAsync(CancellationToken cancellationToken) =>
        await GetItemAsync(_people, Id, ReindexTargetId, cancellationToken).ConfigureAwait(false) is { } item ? ReadReindexTarget(item) : null;

    /// <summary>A conditional put (first one wins), then a consistent read of whichever was recorded.</summary>
    public async Task<ReindexTarget> BeginReindexAsync(ReindexTarget proposed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(proposed);
        // When a re-index is recorded already, the condition fails and the caller carries on with that one.
        await IfConditionHoldsAsync(() => dynamoDb.PutItemAsync(new PutItemRequest
        {
            TableName = _people,
            Item = ReindexTargetItem(proposed),
            ConditionExpression = "attribute_not_exists(#id)",
            ExpressionAttributeNames = new() { ["#id"] = Id },
        }, cancellationToken)).ConfigureAwait(false);

        return await GetReindexTargetAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new DirectoryConflictException("The re-index in progress was switched to or abandoned while being begun.");
    }

    /// <summary>
    /// The target's face records first, then the target, so a run stopped half-way leaves the target recorded and abandoning
    /// again finishes. Does nothing when another re-index is recorded.
    /// </summary>
    public async Task AbandonReindexAsync(ReindexTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!ReindexTarget.Same(await GetReindexTargetAsync(cancellationToken).ConfigureAwait(false), target))
        {
            return;
        }

        // One pass of the scan, deleting each page behind it: a scan resumes after a key whether or not its item still exists.
        string? token = null;
        do
        {
            var page = await ListFacesAsync(target.Generation, token, AbandonBatch, cancellationToken).ConfigureAwait(false);
            await DeleteFaceRecordsAsync(page.Faces, target.Generation, cancellationToken).ConfigureAwait(false);
            token = page.NextPageToken;
        }
        while (token is not null);

        // Abandoned by another run meanwhile (the condition fails): gone, as wanted.
        await IfConditionHoldsAsync(() => dynamoDb.DeleteItemAsync(new DeleteItemRequest
        {
            TableName = _people,
            Key = Key(Id, ReindexTargetId),
            ConditionExpression = SameTargetCondition,
            ExpressionAttributeNames = SameTargetNames(),
            ExpressionAttributeValues = SameTargetValues(target),
        }, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// A Scan of the faces table filtered by generation (a maintenance operation: it reads the whole table once over all the
    /// pages). A scan call may return fewer items than it examined, or more than the page needs, so calls go on until the
    /// page is full; the token is the key of the page's last face (base64), where the next page's scan starts after.
    /// </summary>
    public async Task<FaceRecordPage> ListFacesAsync(int generation, string? pageToken, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var faces = new List<RegisteredFace>(Math.Min(limit, 1000));
        var start = pageToken is null ? null : Key(RekognitionId, FaceIdOfPageToken(pageToken));
        while (true)
        {
            var response = await dynamoDb.ScanAsync(new ScanRequest
            {
                TableName = _faces,
                FilterExpression = generation == 0 ? "attribute_not_exists(#generation)" : "#generation = :generation",
                ExpressionAttributeNames = new() { ["#generation"] = Generation },
                ExpressionAttributeValues = generation == 0 ? null : new() { [":generation"] = N(generation) },
                ExclusiveStartKey = start,
                Limit = Math.Max(limit, MinScanBatch),
                ConsistentRead = true,
            }, cancellationToken).ConfigureAwait(false);
            var items = response.Items ?? [];
            var more = response.LastEvaluatedKey is { Count: > 0 };
            for (var i = 0; i < items.Count; i++)
            {
                faces.Add(ReadFace(items[i]));
                if (faces.Count == limit)
                {
                    // Full. The last item of the last call of the table leaves nothing after it; otherwise the next page
                    // starts after this face, even when the call examined items beyond it.
                    var last = i == items.Count - 1 && !more;
                    return new FaceRecordPage(faces, last ? null : PageTokenOf(faces[^1].FaceId));
                }
            }

            if (!more)
            {
                return new FaceRecordPage(faces, null);
            }

            start = response.LastEvaluatedKey;
        }
    }

    private static string PageTokenOf(string faceId) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(faceId));

    private static string FaceIdOfPageToken(string pageToken)
    {
        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(pageToken));
        }
        catch (FormatException ex)
        {
            throw new ArgumentException("Not a page token of ListFacesAsync.", nameof(pageToken), ex);
        }
    }

    /// <summary>
    /// One transaction: the face id added to the person's <c>FaceIds</c> (on condition that the person exists), the face item
    /// and the generation's image claim (both new). Which condition failed tells the outcome.
    /// </summary>
    public async Task<ReindexedFaceOutcome> AddReindexedFaceAsync(RegisteredFace face, int generation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(face);
        if (await GetPersonItemAsync(face.PersonId, cancellationToken).ConfigureAwait(false) is not { } personItem)
        {
            return ReindexedFaceOutcome.PersonGone;
        }

        var failed = await TryTransactAsync(cancellationToken, [.. FaceItems(face, personItem[FullName].S, generation)]).ConfigureAwait(false);
        return failed switch
        {
            null => ReindexedFaceOutcome.Added,
            _ when IsConditionFailure(failed[0]) => ReindexedFaceOutcome.PersonGone,
            _ when IsConditionFailure(failed[2]) => ReindexedFaceOutcome.AlreadyThere,
            _ => throw new DirectoryConflictException($"Face {face.FaceId} is already in the directory."),
        };
    }

    /// <summary>
    /// One transaction: <c>meta:collection</c> updated on condition that the active generation is still <paramref name="from"/>
    /// (an absent item is generation 0), and <c>meta:reindex</c> deleted on condition that it is still <paramref name="target"/>.
    /// The retained collection is added to a string set, so nothing read before the write can be overwritten.
    /// </summary>
    public async Task<CollectionGeneration> SwitchAsync(ReindexTarget target, CollectionGeneration from, string? retainedCollectionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(from);
        var names = new Dictionary<string, string>
        {
            ["#number"] = Number,
            ["#kind"] = Kind,
            ["#collection"] = CollectionId,
            ["#model"] = ModelVersion,
            ["#since"] = Since,
            ["#previous"] = PreviousGeneration,
        };
        var values = new Dictionary<string, AttributeValue>
        {
            [":active"] = N(from.Number),
            [":meta"] = S(MetaKind),
            [":target"] = N(target.Generation),
            [":collection"] = S(target.CollectionId),
            [":model"] = S(target.ModelVersion),
            [":since"] = S(Time(time.GetUtcNow())),
        };
        var update = "SET #kind = :meta, #number = :target, #collection = :collection, #model = :model, #since = :since, #previous = :active";
        if (retainedCollectionId is not null)
        {
            update += " ADD #retained :retained";
            names["#retained"] = RetainedCollectionIds;
            values[":retained"] = StringSet(retainedCollectionId);
        }

        var failed = await TryTransactAsync(cancellationToken,
            new TransactWriteItem
            {
                Update = new Update
                {
                    TableName = _people,
                    Key = Key(Id, ActiveGenerationId),
                    UpdateExpression = update,
                    ConditionExpression = ActiveIsCondition(from.Number),
                    ExpressionAttributeNames = names,
                    ExpressionAttributeValues = values,
                },
            },
            new TransactWriteItem
            {
                Delete = new Delete
                {
                    TableName = _people,
                    Key = Key(Id, ReindexTargetId),
                    ConditionExpression = SameTargetCondition,
                    ExpressionAttributeNames = SameTargetNames(),
                    ExpressionAttributeValues = SameTargetValues(target),
                },
            }).ConfigureAwait(false);
        if (failed is not null)
        {
            var active = await ReadActiveGenerationAsync(cancellationToken).ConfigureAwait(false);
            var recorded = await GetReindexTargetAsync(cancellationToken).ConfigureAwait(false);
            throw new DirectoryConflictException(
                $"Cannot switch to generation {target.Generation}: the active generation is {active?.Number ?? 0} (expected {from.Number}) " +
                $"and the re-index in progress is {(recorded is null ? "none" : recorded.Generation.ToString(CultureInfo.InvariantCulture))}.");
        }

        return await ReadActiveGenerationAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The active generation just written cannot be read back.");
    }

    /// <summary>
    /// A scan for up to <paramref name="limit"/> faces of the generation, deleted with their claims and <c>FaceIds</c> entries.
    /// The first to find none left of the active generation's previous one forgets it.
    /// </summary>
    public async Task<int> DeleteFacesOfGenerationAsync(int generation, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var active = await ReadActiveGenerationAsync(cancellationToken).ConfigureAwait(false);
        if ((active?.Number ?? 0) == generation)
        {
            throw ActiveGenerationRefused(generation);
        }

        var page = await ListFacesAsync(generation, null, limit, cancellationToken).ConfigureAwait(false);
        await DeleteFaceRecordsAsync(page.Faces, generation, cancellationToken).ConfigureAwait(false);
        if (active?.PreviousGeneration == generation && page.NextPageToken is null)
        {
            // Only while it is still the previous generation: forgotten already, or a later switch has set its own.
            await UpdateActiveGenerationIfAsync("REMOVE #attribute", "#attribute = :value", PreviousGeneration, N(generation), cancellationToken).ConfigureAwait(false);
        }

        return page.Faces.Count;
    }

    private static InvalidOperationException ActiveGenerationRefused(int generation) =>
        new($"Generation {generation} is the active one; its face records are the registered faces.");

    /// <summary>
    /// Deletes face records of a generation (not the active one: each transaction checks that), taking their ids off their
    /// people. A person deleted meanwhile fails their transaction's update; the chunk is then done face by face, and a face
    /// whose person is gone loses its items alone (the person's deletion took its id with it).
    /// </summary>
    private async Task DeleteFaceRecordsAsync(IReadOnlyList<RegisteredFace> faces, int generation, CancellationToken cancellationToken)
    {
        foreach (var chunk in faces.Chunk(FacesPerCleanupTransaction))
        {
            var items = chunk
                .SelectMany(f => DeleteFaceItems(new FaceRecord(f, generation)))
                .Concat(chunk.GroupBy(f => f.PersonId).Select(g => RemoveFaceIdsFromPerson(g.Key, g.Select(f => f.FaceId))));
            if (await TryDeleteOfGenerationAsync(generation, items, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            foreach (var face in chunk)
            {
                var deletes = DeleteFaceItems(new FaceRecord(face, generation)).ToList();
                if (!await TryDeleteOfGenerationAsync(generation, [.. deletes, RemoveFaceIdsFromPerson(face.PersonId, [face.FaceId])], cancellationToken).ConfigureAwait(false))
                {
                    await TryDeleteOfGenerationAsync(generation, deletes, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>False when a person update's condition failed; refuses (nothing written) when the generation has become the active one.</summary>
    private async Task<bool> TryDeleteOfGenerationAsync(int generation, IEnumerable<TransactWriteItem> items, CancellationToken cancellationToken)
    {
        var failed = await TryTransactAsync(cancellationToken, [ActiveGenerationCheck(generation, isActive: false), .. items]).ConfigureAwait(false);
        if (failed is not null && IsConditionFailure(failed[0]))
        {
            throw ActiveGenerationRefused(generation);
        }

        return failed is null;
    }

    /// <summary>
    /// Removes the id from the set (DynamoDB drops the attribute when the set empties). Never creates the item: without it no
    /// switch ever happened, nothing is retained, and the condition fails.
    /// </summary>
    public async Task ForgetRetainedCollectionAsync(string collectionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collectionId);
        await UpdateActiveGenerationIfAsync("DELETE #attribute :value", "attribute_exists(#attribute)", RetainedCollectionIds, StringSet(collectionId), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// An update of one attribute of <c>meta:collection</c> (<c>#attribute</c>, with <c>:value</c>), skipped when its condition
    /// does not hold.
    /// </summary>
    private Task<bool> UpdateActiveGenerationIfAsync(string update, string condition, string attribute, AttributeValue value, CancellationToken cancellationToken) =>
        IfConditionHoldsAsync(() => dynamoDb.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = _people,
            Key = Key(Id, ActiveGenerationId),
            UpdateExpression = update,
            ConditionExpression = condition,
            ExpressionAttributeNames = new() { ["#attribute"] = attribute },
            ExpressionAttributeValues = new() { [":value"] = value },
        }, cancellationToken));

    /// <summary>
    /// The <c>lock:reindex</c> lease: taken like a person's lease, renewed every <see cref="ReindexLockRenewal"/> while held
    /// (a re-index runs for many minutes), deleted when disposed. A holder that dies stops renewing, and the lease runs out
    /// within <see cref="ReindexLockLease"/>.
    /// </summary>
    public async Task<IAsyncDisposable> HoldReindexLockAsync(CancellationToken cancellationToken)
    {
        var owner = Guid.NewGuid().ToString("N");
        var waitUntil = time.GetUtcNow() + ReindexLockWait;
        while (!await TryTakeLeaseAsync(ReindexLockId, owner, ReindexLockLease, cancellationToken).ConfigureAwait(false))
        {
            if (time.GetUtcNow() >= waitUntil)
            {
                throw new TimeoutException(
                    $"Another re-index is running (it holds {ReindexLockId} in table {_people}); wait for it to finish. " +
                    $"If it died, its lock runs out within {ReindexLockLease.TotalSeconds:0} s.");
            }

            await Task.Delay(ReindexLockPoll, time, cancellationToken).ConfigureAwait(false);
        }

        return new RenewedLease(this, ReindexLockId, owner);
    }

    /// <summary>Pushes the lease's end on while its owner still holds it; stops when released or when it was lost.</summary>
    private async Task RenewLeaseAsync(string itemId, string owner, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(ReindexLockRenewal, time, stop).ConfigureAwait(false);
                var until = time.GetUtcNow() + ReindexLockLease;
                await dynamoDb.UpdateItemAsync(new UpdateItemRequest
                {
                    TableName = _people,
                    Key = Key(Id, itemId),
                    UpdateExpression = "SET #until = :until, #expiresAt = :expiresAt",
                    ConditionExpression = "#owner = :owner",
                    ExpressionAttributeNames = new() { ["#until"] = LeaseUntil, ["#expiresAt"] = ExpiresAt, ["#owner"] = LeaseOwner },
                    ExpressionAttributeValues = new()
                    {
                        [":until"] = S(Time(until)),
                        [":expiresAt"] = N((until + ReindexLockLease).ToUnixTimeSeconds()),
                        [":owner"] = S(owner),
                    },
                }, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (ConditionalCheckFailedException)
            {
                // It ran out (renewals failed for a whole lease) and somebody else took it: it is theirs now.
                return;
            }
            catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException or IOException or OperationCanceledException)
            {
                // A failed (or timed-out) renewal is tried again at the next one; the lease lasts three renewals.
            }
        }
    }

    /// <summary>A lease renewed in the background until disposed, then released.</summary>
    private sealed class RenewedLease : IAsyncDisposable
    {
        private readonly DynamoDbFaceDirectory _directory;
        private readonly string _itemId;
        private readonly string _owner;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _renewing;
        private int _released;

        public RenewedLease(DynamoDbFaceDirectory directory, string itemId, string owner)
        {
            (_directory, _itemId, _owner) = (directory, itemId, owner);
            _renewing = Task.Run(() => directory.RenewLeaseAsync(itemId, owner, _stop.Token));
        }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
            {
                return;
            }

            await _stop.CancelAsync().ConfigureAwait(false);
            await _renewing.ConfigureAwait(false);
            _stop.Dispose();
            await _directory.ReleaseLeaseAsync(_itemId, _owner).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The served generation, read from <c>meta:collection</c> at <see cref="InitializeAsync"/> or the first use, then fixed.
    /// Two first uses at once may read either side of a switch: the first to finish decides for both.
    /// </summary>
    private async ValueTask<ServedGeneration> ServedAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _served) is { } served)
        {
            return served;
        }

        var read = new ServedGeneration(await ReadActiveGenerationAsync(cancellationToken).ConfigureAwait(false));
        return Interlocked.CompareExchange(ref _served, read, null) ?? read;
    }

    /// <summary>
    /// A registration: <paramref name="items"/> written into the served generation in one transaction with the check that it is
    /// still the active one; a conflict with <paramref name="conflictMessage"/> when one of <paramref name="items"/> fails.
    /// </summary>
    private async Task RegisterAsync(ServedGeneration served, string conflictMessage, CancellationToken cancellationToken, params TransactWriteItem[] items)
    {
        if (await TryRegisterAsync(served, cancellationToken, items).ConfigureAwait(false) is not null)
        {
            throw new DirectoryConflictException(conflictMessage);
        }
    }

    /// <summary>
    /// Null when written; else the cancellation reasons of <paramref name="items"/> (in their order). After a switch this
    /// process did not see, nothing is written and the conflict says to restart: the new generation's collection would never
    /// get the face.
    /// </summary>
    private async Task<IReadOnlyList<CancellationReason>?> TryRegisterAsync(ServedGeneration served, CancellationToken cancellationToken, params TransactWriteItem[] items)
    {
        var failed = await TryTransactAsync(cancellationToken, [ActiveGenerationCheck(served.Number, isActive: true), .. items]).ConfigureAwait(false);
        if (failed is not null && IsConditionFailure(failed[0]))
        {
            throw new DirectoryConflictException(
                $"The face collection was re-indexed after this process started (it serves generation {served.Number}); restart it to register faces.");
        }

        return failed?.Skip(1).ToList();
    }

    /// <summary>A ConditionCheck that generation <paramref name="number"/> is (or is not) the active one.</summary>
    private TransactWriteItem ActiveGenerationCheck(int number, bool isActive) => new()
    {
        ConditionCheck = new ConditionCheck
        {
            TableName = _people,
            Key = Key(Id, ActiveGenerationId),
            ConditionExpression = isActive ? ActiveIsCondition(number) : $"NOT ({ActiveIsCondition(number)})",
            ExpressionAttributeNames = new() { ["#number"] = Number },
            ExpressionAttributeValues = new() { [":active"] = N(number) },
        },
    };

    /// <summary>"The active generation is <c>:active</c>" on <c>meta:collection</c>: before the first switch the item is absent, which is generation 0.</summary>
    private static string ActiveIsCondition(int number) =>
        number == 0 ? "attribute_not_exists(#number) OR #number = :active" : "#number = :active";

    /// <summary>"<c>meta:reindex</c> is this target": generation, collection and model (<see cref="ReindexTarget.Same"/>).</summary>
    private const string SameTargetCondition = "#generation = :generation AND #collection = :collection AND #model = :model";

    private static Dictionary<string, string> SameTargetNames() =>
        new() { ["#generation"] = Generation, ["#collection"] = CollectionId, ["#model"] = ModelVersion };

    private static Dictionary<string, AttributeValue> SameTargetValues(ReindexTarget target) => new()
    {
        [":generation"] = N(target.Generation),
        [":collection"] = S(target.CollectionId),
        [":model"] = S(target.ModelVersion),
    };
}
