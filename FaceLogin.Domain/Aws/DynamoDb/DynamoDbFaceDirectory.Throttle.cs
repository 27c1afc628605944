using Amazon.DynamoDBv2.Model;
using FaceLogin.Domain.Authentication;
using static FaceLogin.Domain.Aws.DynamoDb.DirectoryItems;

namespace FaceLogin.Domain.Aws.DynamoDb;

/// <summary>The address throttle's ledger (one item per client address) and the per-person near-match count.</summary>
public sealed partial class DynamoDbFaceDirectory
{
    /// <summary>Rounds of "the ledger changed while deciding: read it again" before giving up with an error.</summary>
    private const int MaxLedgerRounds = 50;

    /// <summary>
    /// Optimistic: reads the address's ledger consistently, decides with <see cref="AddressThrottle.Decide"/>, and writes the new
    /// ledger on condition that its version is still the one read (every ledger write raises it, recording an attempt too).
    /// A concurrent writer makes the condition fail and the decision is taken again on what it wrote, so attempts from one
    /// address in any number of processes are decided one after another. The write also drops slots that count no more.
    /// </summary>
    public async Task<ThrottleDecision> TryStartLoginAttemptAsync(Guid attemptId, string clientAddress, DateTimeOffset at, AddressThrottle throttle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clientAddress);
        ArgumentNullException.ThrowIfNull(throttle);
        var key = Key(AttemptId, LockOutItemId(clientAddress));
        var expiresAt = at + _attemptRetention;
        for (var round = 0; round < MaxLedgerRounds; round++)
        {
            var ledger = (await dynamoDb.GetItemAsync(new GetItemRequest { TableName = _attempts, Key = key, ConsistentRead = true }, cancellationToken)
                .ConfigureAwait(false)).Item is { Count: > 0 } found ? found : null;
            var misses = ReadSet(ledger, LockOutSlots).Where(s => LockOutSlotTime(s) >= throttle.MissesSince(at)).ToList();
            var pending = ReadSet(ledger, PendingSlots).Where(s => LockOutSlotTime(s) >= throttle.InProgressSince(at)).ToList();
            DateTimeOffset? lastQuestion = ledger is not null && ledger.TryGetValue(LastQuestionAt, out var last) ? ParseTime(last.S) : null;
            var decision = throttle.Decide([.. misses.Concat(pending).Select(LockOutSlotTime)], lastQuestion, at);
            if (!decision.IsAdmitted)
            {
                return decision;
            }

            var item = new Dictionary<string, AttributeValue>(key)
            {
                [PendingSlots] = StringSet([.. pending, LockOutSlot(at, attemptId)]),
                [LastQuestionAt] = S(Time(lastQuestion is { } previous && previous > at ? previous : at)),
                [LedgerVersion] = N(ReadVersion(ledger) + 1),
                [ExpiresAt] = N(expiresAt.ToUnixTimeSeconds()),
            };
            if (misses.Count > 0)
            {
                // A string set cannot be empty: no misses, no attribute.
                item[LockOutSlots] = StringSet([.. misses]);
            }

            var written = await IfConditionHoldsAsync(() => dynamoDb.PutItemAsync(new PutItemRequest
            {
                TableName = _attempts,
                Item = item,
                // No version yet (no ledger, or one from before the throttle): nobody else may have written one meanwhile.
                ConditionExpression = HasVersion(ledger) ? "#version = :version" : "attribute_not_exists(#version)",
                ExpressionAttributeNames = new() { ["#version"] = LedgerVersion },
                ExpressionAttributeValues = HasVersion(ledger) ? new() { [":version"] = N(ReadVersion(ledger)) } : null,
            }, cancellationToken)).ConfigureAwait(false);
            if (written)
            {
                return decision;
            }
        }

        throw new InvalidOperationException($"The throttle ledger of one client address kept changing for {MaxLedgerRounds} rounds.");
    }

    private static bool HasVersion(Dictionary<string, AttributeValue>? ledger) => ledger is not null && ledger.ContainsKey(LedgerVersion);

    /// <summary>A ledger from before the throttle has no version: it is version 0, and its first write makes it 1.</summary>
    private static long ReadVersion(Dictionary<string, AttributeValue>? ledger) =>
        ledger is not null && ledger.TryGetValue(LedgerVersion, out var version) ? long.Parse(version.N, System.Globalization.CultureInfo.InvariantCulture) : 0;

    /// <summary>One scan of the ledgers that hold attempts in progress; each ledger loses its dead ones in one conditional-free DELETE.</summary>
    public async Task<int> ExpireLoginAttemptsInProgressAsync(DateTimeOffset startedBefore, CancellationToken cancellationToken)
    {
        var expired = 0;
        await foreach (var ledger in ScanAsync(new ScanRequest
        {
            TableName = _attempts,
            FilterExpression = "attribute_exists(#pending)",
            ExpressionAttributeNames = new() { ["#pending"] = PendingSlots },
            ConsistentRead = true,
        }, cancellationToken).ConfigureAwait(false))
        {
            var dead = ReadSet(ledger, PendingSlots).Where(s => LockOutSlotTime(s) < startedBefore).ToArray();
            if (dead.Length == 0)
            {
                continue;
            }

            // Removing dead attempts is right whoever else writes (they are nobody's any more); the version tells a gate.
            await dynamoDb.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = _attempts,
                Key = Key(AttemptId, ledger[AttemptId].S),
                UpdateExpression = "DELETE #pending :dead ADD #version :one",
                ExpressionAttributeNames = new() { ["#pending"] = PendingSlots, ["#version"] = LedgerVersion },
                ExpressionAttributeValues = new() { [":dead"] = StringSet(dead), [":one"] = N(1L) },
            }, cancellationToken).ConfigureAwait(false);
            expired += dead.Length;
        }

        return expired;
    }

    /// <summary>
    /// ADD is atomic on the item, so concurrent near-matches all count; the one whose count reaches the cap (or any later one)
    /// writes the suspension time if none is there, so the first time stands.
    /// </summary>
    public async Task<bool> RecordNearMatchAsync(Guid personId, DateTimeOffset at, int suspendAfter, CancellationToken cancellationToken)
    {
        UpdateItemResponse counted;
        try
        {
            counted = await dynamoDb.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = _people,
                Key = Key(Id, PersonItemId(personId)),
                UpdateExpression = "ADD #count :one",
                ConditionExpression = "#kind = :person",
                ExpressionAttributeNames = new() { ["#count"] = FailedNearMatches, ["#kind"] = Kind },
                ExpressionAttributeValues = new() { [":one"] = N(1L), [":person"] = S(PersonKind) },
                ReturnValues = Amazon.DynamoDBv2.ReturnValue.ALL_NEW,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Amazon.DynamoDBv2.Model.ConditionalCheckFailedException)
        {
            return false; // deleted meanwhile: nobody to count against
        }

        var person = ReadPerson(counted.Attributes);
        if (person.IsFaceSignInSuspended)
        {
            return true;
        }

        if (person.FailedNearMatches < suspendAfter)
        {
            return false;
        }

        // Already there (the condition fails) means another near-match suspended first.
        await IfConditionHoldsAsync(() => dynamoDb.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = _people,
            Key = Key(Id, PersonItemId(personId)),
            UpdateExpression = "SET #suspended = :at",
            ConditionExpression = "#kind = :person AND attribute_not_exists(#suspended)",
            ExpressionAttributeNames = new() { ["#suspended"] = FaceSignInSuspendedAt, ["#kind"] = Kind },
            ExpressionAttributeValues = new() { [":at"] = S(Time(at)), [":person"] = S(PersonKind) },
        }, cancellationToken)).ConfigureAwait(false);
        return true;
    }

    public Task EnableFaceSignInAsync(Guid personId, CancellationToken cancellationToken) =>
        IfConditionHoldsAsync(() => dynamoDb.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = _people,
            Key = Key(Id, PersonItemId(personId)),
            UpdateExpression = "SET #count = :zero REMOVE #suspended",
            ConditionExpression = "#kind = :person",
            ExpressionAttributeNames = new() { ["#count"] = FailedNearMatches, ["#suspended"] = FaceSignInSuspendedAt, ["#kind"] = Kind },
            ExpressionAttributeValues = new() { [":zero"] = N(0L), [":person"] = S(PersonKind) },
        }, cancellationToken));
}
