using System.Globalization;
using Amazon.DynamoDBv2.Model;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Registration;

namespace FaceLogin.Domain.Aws.DynamoDb;

/// <summary>
/// How directory records look as DynamoDB items (the table design is in docs/aws.md). Attribute names are spelled out
/// so a person reading a table in the console sees the seed's shape: <c>RekognitionId → FullName</c>.
/// </summary>
internal static class DirectoryItems
{
    // People table: key Id. Persons under their id, image claims under "image:{key}" (generation 0) or "image:g{n}:{key}".
    public const string Id = "Id";
    public const string Kind = "Kind";
    public const string PersonKind = "person";
    public const string ImageClaimKind = "image";
    public const string FullName = "FullName";
    public const string NameKey = "NameKey";
    public const string RegisteredAt = "RegisteredAt";
    public const string ConsentedAt = "ConsentedAt";
    public const string ConsentVersion = "ConsentVersion";
    public const string IsAdmin = "IsAdmin";
    public const string LastSignInAt = "LastSignInAt";
    public const string SessionVersion = "SessionVersion";
    public const string FailedNearMatches = "FailedNearMatches";
    public const string FaceSignInSuspendedAt = "FaceSignInSuspendedAt";
    public const string FaceIds = "FaceIds";
    public const string FaceId = "FaceId";
    public const string PersonId = "PersonId";

    /// <summary>
    /// The first-person marker, an item of the people table: present once the directory has held a person. A sign-up is made
    /// admin by being first only by writing it (attribute_not_exists) in the same transaction as the person.
    /// </summary>
    public const string FirstPersonMarkerId = "meta:first-person";
    public const string MetaKind = "meta";

    /// <summary>A person's lease (<see cref="IFaceDirectory.HoldPersonLeaseAsync"/>): item <c>lease:{personId}</c> of the people table.</summary>
    public const string LeaseKind = "lease";
    public const string LeaseOwner = "Owner";
    public const string LeaseUntil = "LeaseUntil";

    public static string LeaseItemId(Guid personId) => "lease:" + personId.ToString("D");

    // Collection generations (ICollectionGenerations): items of the people table, plus Generation on face items.

    /// <summary>The active generation (<c>Kind = meta</c>): absent until the first switch, which means generation 0.</summary>
    public const string ActiveGenerationId = "meta:collection";

    /// <summary>The re-index in progress (<c>Kind = meta</c>), present from its start until it is switched to or abandoned.</summary>
    public const string ReindexTargetId = "meta:reindex";

    /// <summary>The re-index lock: a lease like a person's (<see cref="LeaseOwner"/>, <see cref="LeaseUntil"/>), renewed while held.</summary>
    public const string ReindexLockId = "lock:reindex";

    public const string Number = "Number";
    public const string CollectionId = "CollectionId";
    public const string ModelVersion = "ModelVersion";
    public const string Since = "Since";
    public const string PreviousGeneration = "PreviousGeneration";
    public const string RetainedCollectionIds = "RetainedCollectionIds";
    public const string StartedAt = "StartedAt";

    /// <summary>A face item's generation (N), written only when not 0: items from before generations are generation 0 as they are.</summary>
    public const string Generation = "Generation";

    // Faces table: key RekognitionId, as in the seed.
    public const string RekognitionId = "RekognitionId";
    public const string ImageKey = "ImageKey";
    public const string Box = "Box";
    public const string IndexedAt = "IndexedAt";

    // Login attempts table: key AttemptId; GSIs on (Feed, At), (ClientAddress, At) and PersonId.
    public const string AttemptId = "AttemptId";
    public const string At = "At";
    public const string Feed = "Feed";
    public const string FeedValue = "attempts";
    public const string Outcome = "Outcome";
    public const string LivenessRefusal = "LivenessRefusal";
    public const string Similarity = "Similarity";
    public const string ClientAddress = "ClientAddress";
    public const string ExpiresAt = "ExpiresAt";

    /// <summary>
    /// The address throttle's ledger, one item per client address in the attempts table (key <c>client:{address}</c>): a string
    /// set of <c>{time}|{attemptId}</c> for each miss from that address (<see cref="LockOutSlots"/>; before the throttle it also
    /// held attempts in progress), one for the attempts in progress (<see cref="PendingSlots"/>), when its newest face question
    /// started (<see cref="LastQuestionAt"/>), and a version every write raises (<see cref="LedgerVersion"/>). Reading and
    /// writing one item by key is strongly consistent, unlike the (ClientAddress, At) index. It has none of the indexes'
    /// attributes, so it appears in none of them.
    /// </summary>
    public const string LockOutSlots = "Slots";
    public const string PendingSlots = "Pending";
    public const string LastQuestionAt = "LastQuestionAt";
    public const string LedgerVersion = "Version";

    public const string FeedIndex = "Feed-At-index";
    public const string ClientIndex = "ClientAddress-At-index";
    public const string PersonIndex = "PersonId-index";

    public static string PersonItemId(Guid personId) => personId.ToString("D");

    /// <summary>
    /// Each generation claims an image once: generation 0 keeps the claims written before generations existed, later ones
    /// are apart by a prefix (<c>g</c> and <c>:</c> never start an image key, which is hex).
    /// </summary>
    public static string ImageClaimId(FaceImageKey key, int generation) =>
        generation == 0 ? "image:" + key.Value : $"image:g{generation.ToString(CultureInfo.InvariantCulture)}:{key.Value}";

    public static string LockOutItemId(string clientAddress) => "client:" + clientAddress;

    /// <summary>A slot sorts and parses by its fixed-width time prefix.</summary>
    public static string LockOutSlot(DateTimeOffset at, Guid attemptId) => Time(at) + "|" + attemptId.ToString("D");

    public static IReadOnlyList<string> ReadSet(Dictionary<string, AttributeValue>? item, string name) =>
        item is not null && item.TryGetValue(name, out var value) && value.SS is { } set ? set : [];

    public static DateTimeOffset LockOutSlotTime(string slot) => ParseTime(slot[..slot.IndexOf('|', StringComparison.Ordinal)]);

    /// <summary>Fixed-width UTC with 100 ns precision: sorts as text in time order, and round-trips exactly.</summary>
    public static string Time(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTime(string value) =>
        new(DateTime.ParseExact(value, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), TimeSpan.Zero);

    public static AttributeValue S(string value) => new() { S = value };

    public static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    public static AttributeValue N(float value) => new() { N = value.ToString("R", CultureInfo.InvariantCulture) };

    public static AttributeValue Bool(bool value) => new() { BOOL = value };

    public static AttributeValue StringSet(params string[] values) => new() { SS = [.. values] };

    public static Dictionary<string, AttributeValue> Key(string name, string value) => new() { [name] = S(value) };

    public static Dictionary<string, AttributeValue> PersonItem(Person person, IEnumerable<string> faceIds)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [Id] = S(PersonItemId(person.Id)),
            [Kind] = S(PersonKind),
            [FullName] = S(person.FullName),
            [NameKey] = S(PersonName.SearchKey(person.FullName)),
            [RegisteredAt] = S(Time(person.RegisteredAt)),
            [ConsentedAt] = S(Time(person.ConsentedAt)),
            [ConsentVersion] = S(person.ConsentVersion),
            [IsAdmin] = Bool(person.IsAdmin),
        };
        if (person.LastSignInAt is { } lastSignIn)
        {
            item[LastSignInAt] = S(Time(lastSignIn));
        }

        if (person.SessionVersion != 0)
        {
            item[SessionVersion] = N(person.SessionVersion);
        }

        if (person.FailedNearMatches != 0)
        {
            item[FailedNearMatches] = N(person.FailedNearMatches);
        }

        if (person.FaceSignInSuspendedAt is { } suspendedAt)
        {
            item[FaceSignInSuspendedAt] = S(Time(suspendedAt));
        }

        var ids = faceIds.ToArray();
        if (ids.Length > 0)
        {
            // A string set cannot be empty in DynamoDB: a person without faces has no FaceIds attribute.
            item[FaceIds] = StringSet(ids);
        }

        return item;
    }

    public static Person ReadPerson(Dictionary<string, AttributeValue> item) => new(
        Guid.Parse(item[Id].S),
        item[FullName].S,
        ParseTime(item[RegisteredAt].S),
        ParseTime(item[ConsentedAt].S),
        item[ConsentVersion].S,
        item.TryGetValue(IsAdmin, out var admin) && admin.BOOL == true,
        item.TryGetValue(LastSignInAt, out var last) ? ParseTime(last.S) : null)
    {
        // Absent until the person first signs out (and on items written before the attribute existed): version 0.
        SessionVersion = item.TryGetValue(SessionVersion, out var version) ? long.Parse(version.N, CultureInfo.InvariantCulture) : 0,
        FailedNearMatches = item.TryGetValue(FailedNearMatches, out var nearMatches) ? Int(nearMatches) : 0,
        FaceSignInSuspendedAt = item.TryGetValue(FaceSignInSuspendedAt, out var suspendedAt) ? ParseTime(suspendedAt.S) : null,
    };

    public static IReadOnlyList<string> ReadFaceIds(Dictionary<string, AttributeValue> personItem) =>
        personItem.TryGetValue(FaceIds, out var ids) && ids.SS is { } set ? set : [];

    public static Dictionary<string, AttributeValue> ImageClaimItem(RegisteredFace face, int generation) => new()
    {
        [Id] = S(ImageClaimId(face.ImageKey, generation)),
        [Kind] = S(ImageClaimKind),
        [FaceId] = S(face.FaceId),
        [PersonId] = S(face.PersonId.ToString("D")),
    };

    /// <summary>The seed's item (RekognitionId, FullName) plus what FaceLogin needs to find the person and the image.</summary>
    public static Dictionary<string, AttributeValue> FaceItem(RegisteredFace face, string fullName, int generation)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [RekognitionId] = S(face.FaceId),
            [FullName] = S(fullName),
            [PersonId] = S(face.PersonId.ToString("D")),
            [ImageKey] = S(face.ImageKey.Value),
            [Box] = new AttributeValue
            {
                M = new Dictionary<string, AttributeValue>
                {
                    ["Left"] = N(face.Box.Left),
                    ["Top"] = N(face.Box.Top),
                    ["Width"] = N(face.Box.Width),
                    ["Height"] = N(face.Box.Height),
                },
            },
            [IndexedAt] = S(Time(face.IndexedAt)),
        };
        if (generation != 0)
        {
            item[Generation] = N(generation);
        }

        return item;
    }

    public static FaceRecord ReadFaceRecord(Dictionary<string, AttributeValue> item) =>
        new(ReadFace(item), item.TryGetValue(Generation, out var generation) ? Int(generation) : 0);

    public static RegisteredFace ReadFace(Dictionary<string, AttributeValue> item)
    {
        if (!FaceImageKey.TryParse(item[ImageKey].S, out var imageKey))
        {
            throw new InvalidDataException($"Face {item[RekognitionId].S} has a malformed ImageKey.");
        }

        var box = item[Box].M;
        return new RegisteredFace(
            item[RekognitionId].S,
            Guid.Parse(item[PersonId].S),
            imageKey,
            new BoundingBox(Float(box["Left"]), Float(box["Top"]), Float(box["Width"]), Float(box["Height"])),
            ParseTime(item[IndexedAt].S));
    }

    public static Dictionary<string, AttributeValue> AttemptItem(LoginAttempt attempt, DateTimeOffset expiresAt)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [AttemptId] = S(attempt.Id.ToString("D")),
            [At] = S(Time(attempt.At)),
            [Feed] = S(FeedValue),
            [Outcome] = S(attempt.Outcome.ToString()),
            [ClientAddress] = S(attempt.ClientAddress),
            [ExpiresAt] = N(expiresAt.ToUnixTimeSeconds()),
        };
        if (attempt.PersonId is { } personId)
        {
            item[PersonId] = S(personId.ToString("D"));
        }

        if (attempt.Similarity is { } similarity)
        {
            item[Similarity] = N(similarity);
        }

        if (attempt.LivenessRefusal is { } refusal)
        {
            item[LivenessRefusal] = S(refusal.ToString());
        }

        return item;
    }

    public static LoginAttempt ReadAttempt(Dictionary<string, AttributeValue> item) => new(
        Guid.Parse(item[AttemptId].S),
        ParseTime(item[At].S),
        Enum.Parse<LoginOutcome>(item[Outcome].S),
        item.TryGetValue(PersonId, out var person) ? Guid.Parse(person.S) : null,
        item.TryGetValue(Similarity, out var similarity) ? Float(similarity) : null,
        item[ClientAddress].S)
    {
        LivenessRefusal = item.TryGetValue(LivenessRefusal, out var refusal) ? Enum.Parse<Faces.Liveness.LivenessRefusal>(refusal.S) : null,
    };

    public static CollectionGeneration ReadActiveGeneration(Dictionary<string, AttributeValue> item) => new(
        Int(item[Number]),
        item[CollectionId].S,
        item.TryGetValue(ModelVersion, out var model) ? model.S : null,
        ParseTime(item[Since].S),
        item.TryGetValue(PreviousGeneration, out var previous) ? Int(previous) : null,
        // A set has no order: ids sort by name, so listings do not change from one read to the next.
        item.TryGetValue(RetainedCollectionIds, out var retained) && retained.SS is { } ids ? [.. ids.Order(StringComparer.Ordinal)] : []);

    public static Dictionary<string, AttributeValue> ReindexTargetItem(ReindexTarget target) => new()
    {
        [Id] = S(ReindexTargetId),
        [Kind] = S(MetaKind),
        [Generation] = N(target.Generation),
        [CollectionId] = S(target.CollectionId),
        [ModelVersion] = S(target.ModelVersion),
        [StartedAt] = S(Time(target.StartedAt)),
    };

    public static ReindexTarget ReadReindexTarget(Dictionary<string, AttributeValue> item) => new(
        Int(item[Generation]),
        item[CollectionId].S,
        item[ModelVersion].S,
        ParseTime(item[StartedAt].S));

    private static int Int(AttributeValue value) => int.Parse(value.N, NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static float Float(AttributeValue value) => float.Parse(value.N, NumberStyles.Float, CultureInfo.InvariantCulture);
}

/// <summary>A face item as stored: the face and the collection generation it belongs to.</summary>
internal readonly record struct FaceRecord(RegisteredFace Face, int Generation);
