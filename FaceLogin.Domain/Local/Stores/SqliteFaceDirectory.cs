using FaceLogin.Domain.Authentication;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Registration;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace FaceLogin.Domain.Local.Stores;

/// <summary>
/// People, faces and login attempts in one SQLite file (WAL, foreign keys on), schema by <see cref="SqliteDirectorySchema"/>.
/// The schema is created or migrated on first use, from whichever of the web app or a command opens the file first,
/// so neither needs a start-up step; <see cref="InitializeAsync"/> does it eagerly.
/// </summary>
public sealed partial class SqliteFaceDirectory : IFaceDirectory, ICollectionGenerations, IDisposable
{
    /// <summary>How often, at most, recording an attempt also purges the expired ones.</summary>
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromHours(1);

    private readonly string _connectionString;
    private readonly SqliteDirectoryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SqliteFaceDirectory> _logger;
    private readonly SemaphoreSlim _initGate = new(1, 1);
    private volatile bool _initialized;

    /// <summary>The generation this instance serves (null: generation 0), read once when the file is first opened.</summary>
    private CollectionGeneration? _served;

    private int ServedNumber => _served?.Number ?? 0;
    private long _lastPurgeTicks;
    private readonly PersonLeaseFiles _leases;

    public SqliteFaceDirectory(string databasePath, SqliteDirectoryOptions options, TimeProvider time, ILogger<SqliteFaceDirectory> logger)
    {
        DatabasePath = Path.GetFullPath(databasePath);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = true,
            // Also how long a writer waits for another process's write lock (SQLITE_BUSY is retried until then).
            DefaultTimeout = 30,
        }.ToString();
        _options = options;
        _leases = new PersonLeaseFiles(DatabasePath + "-leases", options.LeaseWait);
        _time = time;
        _logger = logger;
    }

    public string DatabasePath { get; }

    public Task InitializeAsync(CancellationToken cancellationToken) => EnsureInitializedAsync(cancellationToken);

    public Task AddPersonAsync(Person person, RegisteredFace firstFace, CancellationToken cancellationToken) =>
        AddPersonAsync(person, firstFace, adminIfFirst: false, cancellationToken);

    public Task<Person> AddPersonAdminIfFirstAsync(Person person, RegisteredFace firstFace, CancellationToken cancellationToken) =>
        AddPersonAsync(person, firstFace, adminIfFirst: true, cancellationToken);

    /// <summary>
    /// The person, their first face and the "a person has been here" marker in one transaction (BEGIN IMMEDIATE: writers in
    /// every process take turns), so whoever writes the marker first is the first person, and nobody else ever is.
    /// </summary>
    private async Task<Person> AddPersonAsync(Person person, RegisteredFace firstFace, bool adminIfFirst, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(firstFace);
        if (firstFace.PersonId != person.Id)
        {
            throw new ArgumentException("The first face belongs to another person.", nameof(firstFace));
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var stored = person;
        await EnsureServedIsActiveAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        await RunConflictingAsync(async () =>
        {
            var isFirst = await ExecuteAsync(connection, transaction,
                "INSERT INTO first_person_marker (id, written_at) VALUES (1, $at) ON CONFLICT (id) DO NOTHING;", cancellationToken,
                ("$at", Ms(person.RegisteredAt))).ConfigureAwait(false) == 1;
            stored = person with { IsAdmin = person.IsAdmin || (adminIfFirst && isFirst) };
            await ExecuteAsync(connection, transaction, """
                INSERT INTO people (id, full_name, name_key, registered_at, consented_at, consent_version, is_admin, last_sign_in_at, session_version,
                                    failed_near_matches, face_sign_in_suspended_at)
                VALUES ($id, $name, $nameKey, $registeredAt, $consentedAt, $consentVersion, $isAdmin, $lastSignInAt, $sessionVersion,
                        $failedNearMatches, $suspendedAt);
                """, cancellationToken,
                ("$id", Id(stored.Id)), ("$name", stored.FullName), ("$nameKey", PersonName.SearchKey(stored.FullName)),
                ("$registeredAt", Ms(stored.RegisteredAt)), ("$consentedAt", Ms(stored.ConsentedAt)),
                ("$consentVersion", stored.ConsentVersion), ("$isAdmin", stored.IsAdmin ? 1 : 0),
                ("$lastSignInAt", stored.LastSignInAt is { } at ? Ms(at) : null), ("$sessionVersion", stored.SessionVersion),
                ("$failedNearMatches", stored.FailedNearMatches),
                ("$suspendedAt", stored.FaceSignInSuspendedAt is { } suspendedAt ? Ms(suspendedAt) : null)).ConfigureAwait(false);
            await InsertFaceAsync(connection, transaction, firstFace, ServedNumber, cancellationToken).ConfigureAwait(false);
        }, $"person {person.Id} or face {firstFace.FaceId}").ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return stored;
    }

    /// <summary>
    /// A lock file beside the database (<see cref="PersonLeaseFiles"/>): every process on this data folder — the app, <c>import</c>,
    /// <c>reconcile</c> — excludes the others, and a holder that dies releases it with its process.
    /// </summary>
    public Task<IAsyncDisposable> HoldPersonLeaseAsync(Guid personId, CancellationToken cancellationToken) =>
        _leases.HoldAsync(personId, cancellationToken);

    public async Task AddFaceAsync(RegisteredFace face, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(face);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await EnsureServedIsActiveAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        await RunConflictingAsync(() => InsertFaceAsync(connection, transaction, face, ServedNumber, cancellationToken), $"face {face.FaceId} of person {face.PersonId}").ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<Person?> GetPersonAsync(Guid personId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var people = await QueryAsync(connection, null, $"SELECT {PersonColumns} FROM people p WHERE p.id = $id;", ReadPerson, cancellationToken,
            ("$id", Id(personId))).ConfigureAwait(false);
        return people.SingleOrDefault();
    }

    public async Task<RegisteredFace?> FindFaceAsync(string faceId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var faces = await QueryAsync(connection, null, $"SELECT {FaceColumns} FROM faces f WHERE f.face_id = $faceId AND f.generation = $generation;", r => ReadFace(r, 0)!, cancellationToken,
            ("$faceId", faceId), ("$generation", ServedNumber)).ConfigureAwait(false);
        return faces.SingleOrDefault();
    }

    public async Task<RegisteredFace?> FindFaceByImageKeyAsync(FaceImageKey imageKey, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var faces = await QueryAsync(connection, null, $"SELECT {FaceColumns} FROM faces f WHERE f.image_key = $imageKey AND f.generation = $generation;", r => ReadFace(r, 0)!, cancellationToken,
            ("$imageKey", imageKey.Value), ("$generation", ServedNumber)).ConfigureAwait(false);
        return faces.SingleOrDefault();
    }

    public async Task<IReadOnlyList<RegisteredFace>> GetFacesAsync(Guid personId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync(connection, null, $"SELECT {FaceColumns} FROM faces f WHERE f.generation = $generation AND f.person_id = $id ORDER BY f.indexed_at, f.face_id;",
            r => ReadFace(r, 0)!, cancellationToken, ("$id", Id(personId)), ("$generation", ServedNumber)).ConfigureAwait(false);
    }

    /// <summary>
    /// Sorted by name (case-insensitive), then registration time. The search is a case-insensitive substring of the full
    /// name: three characters or more go through the trigram index, shorter ones scan the name index.
    /// </summary>
    public async Task<PagedResult<PersonSummary>> ListPeopleAsync(PeopleQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var request = new PageRequest(query.Page, query.PageSize);
        var filter = "1 = 1";
        var parameters = new List<(string, object?)>();
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = PersonName.SearchKey(query.Search);
            parameters.Add(("$term", term));
            filter = "instr(p.name_key, $term) > 0";
            if (term.EnumerateRunes().Count() >= 3)
            {
                parameters.Add(("$phrase", "\"" + term.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));
                filter += " AND p.seq IN (SELECT rowid FROM people_name_search WHERE people_name_search MATCH $phrase)";
            }
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        // One read transaction: the page and the total come from the same snapshot.
        await using var transaction = connection.BeginTransaction(deferred: true);
        var total = Convert.ToInt64(await ScalarAsync(connection, transaction, $"SELECT COUNT(*) FROM people p WHERE {filter};", cancellationToken,
            [.. parameters]).ConfigureAwait(false));
        var items = await QueryAsync(connection, transaction, $"""
            SELECT {PersonColumns},
                   (SELECT COUNT(*) FROM faces c WHERE c.generation = $generation AND c.person_id = p.id),
                   {FaceColumns}
            FROM people p
            LEFT JOIN faces f ON f.face_id = (SELECT first.face_id FROM faces first WHERE first.generation = $generation AND first.person_id = p.id
                                             ORDER BY first.indexed_at, first.face_id LIMIT 1)
            WHERE {filter}
            ORDER BY p.name_key, p.registered_at, p.seq
            LIMIT $take OFFSET $skip;
            """,
            r => new PersonSummary(ReadPerson(r), r.GetInt32(PersonColumnCount), ReadFace(r, PersonColumnCount + 1)),
            cancellationToken, [.. parameters, ("$take", request.Limit), ("$skip", request.Offset), ("$generation", ServedNumber)]).ConfigureAwait(false);
        return new PagedResult<PersonSummary>(items, total);
    }

    public async Task<long> CountPeopleAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToInt64(await ScalarAsync(connection, null, "SELECT COUNT(*) FROM people;", cancellationToken).ConfigureAwait(false));
    }

    public async Task<long> CountAdminsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToInt64(await ScalarAsync(connection, null, "SELECT COUNT(*) FROM people WHERE is_admin = 1;", cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Does nothing for a person who does not exist.</summary>
    public async Task SetAdminAsync(Guid personId, bool isAdmin, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, null, "UPDATE people SET is_admin = $isAdmin WHERE id = $id;", cancellationToken,
            ("$isAdmin", isAdmin ? 1 : 0), ("$id", Id(personId))).ConfigureAwait(false);
    }

    /// <summary>One statement, so two sign-outs at once both count. Does nothing for a person who does not exist.</summary>
    public async Task EndSessionsAsync(Guid personId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, null, "UPDATE people SET session_version = session_version + 1 WHERE id = $id;", cancellationToken,
            ("$id", Id(personId))).ConfigureAwait(false);
    }

    /// <summary>Does nothing for a person who does not exist (deleted while signing in).</summary>
    public async Task RecordSignInAsync(Guid personId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, null, "UPDATE people SET last_sign_in_at = $at, failed_near_matches = 0 WHERE id = $id;", cancellationToken,
            ("$at", Ms(at)), ("$id", Id(personId))).ConfigureAwait(false);
    }

    /// <summary>One statement: concurrent near-matches all count, and the one that reaches the cap suspends.</summary>
    public async Task<bool> RecordNearMatchAsync(Guid personId, DateTimeOffset at, int suspendAfter, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var suspended = await ScalarAsync(connection, null, """
            UPDATE people
            SET failed_near_matches = failed_near_matches + 1,
                face_sign_in_suspended_at = CASE
                    WHEN face_sign_in_suspended_at IS NULL AND failed_near_matches + 1 >= $cap THEN $at
                    ELSE face_sign_in_suspended_at END
            WHERE id = $id
            RETURNING face_sign_in_suspended_at IS NOT NULL;
            """, cancellationToken, ("$id", Id(personId)), ("$cap", suspendAfter), ("$at", Ms(at))).ConfigureAwait(false);
        return suspended is long value && value == 1;
    }

    public async Task EnableFaceSignInAsync(Guid personId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, null, "UPDATE people SET failed_near_matches = 0, face_sign_in_suspended_at = NULL WHERE id = $id;", cancellationToken,
            ("$id", Id(personId))).ConfigureAwait(false);
    }

    /// <remarks>
    /// The name must not outlive the person in the file's bytes: every connection runs with <c>secure_delete</c> (freed content
    /// is overwritten with zeros), the trigram index is merged so its old segments (which still hold the name's trigrams) are
    /// rewritten without it, and the WAL is checkpointed and truncated so no older copy of a page stays behind there either.
    /// </remarks>
    public async Task<bool> DeletePersonAsync(Guid personId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        // Faces go with the person (ON DELETE CASCADE); attempts stay, unlinked (ON DELETE SET NULL), as the port says.
        var deleted = await ExecuteAsync(connection, null, "DELETE FROM people WHERE id = $id;", cancellationToken, ("$id", Id(personId))).ConfigureAwait(false) > 0;
        if (deleted)
        {
            await ExecuteAsync(connection, null, "INSERT INTO people_name_search (people_name_search) VALUES ('optimize');", cancellationToken).ConfigureAwait(false);
            await TruncateWriteAheadLogAsync(connection, cancellationToken).ConfigureAwait(false);
        }

        return deleted;
    }

    public async Task<bool> DeleteFaceAsync(string faceId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ExecuteAsync(connection, null, "DELETE FROM faces WHERE face_id = $faceId;", cancellationToken, ("$faceId", faceId)).ConfigureAwait(false) > 0;
    }

    /// <summary>Records the attempt and, in the same transaction, ends it if it was started by <see cref="TryStartLoginAttemptAsync"/>.</summary>
    public async Task AddLoginAttemptAsync(LoginAttempt attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
        {
            await RunConflictingAsync(() => ExecuteAsync(connection, transaction, """
                INSERT INTO login_attempts (id, at, outcome, person_id, similarity, client_address, liveness_refusal)
                VALUES ($id, $at, $outcome, (SELECT id FROM people WHERE id = $personId), $similarity, $clientAddress, $livenessRefusal);
                """, cancellationToken,
                ("$id", Id(attempt.Id)), ("$at", Ms(attempt.At)), ("$outcome", attempt.Outcome.ToString()),
                // The person may have been deleted a moment ago: the attempt is kept, without the link.
                ("$personId", attempt.PersonId is { } personId ? Id(personId) : null),
                ("$similarity", attempt.Similarity), ("$clientAddress", attempt.ClientAddress),
                ("$livenessRefusal", attempt.LivenessRefusal?.ToString())), $"login attempt {attempt.Id}").ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, "DELETE FROM login_attempts_in_progress WHERE id = $id;", cancellationToken, ("$id", Id(attempt.Id))).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        var now = _time.GetUtcNow();
        var last = Interlocked.Read(ref _lastPurgeTicks);
        if (now.UtcTicks - last >= PurgeInterval.Ticks && Interlocked.CompareExchange(ref _lastPurgeTicks, now.UtcTicks, last) == last)
        {
            await PurgeExpiredAttemptsAsync(connection, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reads the address's ledger and reserves in one <c>BEGIN IMMEDIATE</c> transaction: SQLite lets one writer in at a time
    /// across every process on the file, so two attempts can never both be decided on the same ledger.
    /// </summary>
    public async Task<ThrottleDecision> TryStartLoginAttemptAsync(Guid attemptId, string clientAddress, DateTimeOffset at, AddressThrottle throttle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clientAddress);
        ArgumentNullException.ThrowIfNull(throttle);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var (missFilter, missParameters) = OutcomeFilter(LoginOutcomeExtensions.LockOutOutcomes, "miss");
        var (questionFilter, questionParameters) = OutcomeFilter(LoginOutcomeExtensions.FaceQuestionOutcomes, "question");
        var rows = await QueryAsync(connection, transaction, $"""
            SELECT at, 1 FROM login_attempts
            WHERE client_address = $clientAddress AND at >= $missesSince AND {missFilter}
            UNION ALL
            SELECT at, 1 FROM login_attempts_in_progress
            WHERE client_address = $clientAddress AND at >= $inProgressSince
            UNION ALL
            SELECT MAX(at), 0 FROM login_attempts
            WHERE client_address = $clientAddress AND at >= $laneSince AND {questionFilter};
            """,
            r => (At: r.IsDBNull(0) ? (DateTimeOffset?)null : FromMs(r.GetInt64(0)), IsMiss: r.GetInt64(1) == 1),
            cancellationToken,
            [("$clientAddress", clientAddress), ("$missesSince", Ms(throttle.MissesSince(at))), ("$inProgressSince", Ms(throttle.InProgressSince(at))),
             ("$laneSince", Ms(at - throttle.Settings.DelayedSearchInterval)), .. missParameters, .. questionParameters]).ConfigureAwait(false);
        var misses = rows.Where(r => r.IsMiss).Select(r => r.At!.Value).ToList();
        // An attempt in progress is a question too: the newest start of either kind spaces the delayed address's lane.
        var lastQuestion = rows.Where(r => r.At is not null).Select(r => r.At).Max();
        var decision = throttle.Decide(misses, lastQuestion, at);
        if (!decision.IsAdmitted)
        {
            return decision;
        }

        // The address's dead requests go as this one starts (DynamoDB's ledger drops them the same way).
        await ExecuteAsync(connection, transaction,
            "DELETE FROM login_attempts_in_progress WHERE client_address = $clientAddress AND at < $inProgressSince;", cancellationToken,
            ("$clientAddress", clientAddress), ("$inProgressSince", Ms(throttle.InProgressSince(at)))).ConfigureAwait(false);
        await RunConflictingAsync(() => ExecuteAsync(connection, transaction,
            "INSERT INTO login_attempts_in_progress (id, client_address, at) VALUES ($id, $clientAddress, $at);", cancellationToken,
            ("$id", Id(attemptId)), ("$clientAddress", clientAddress), ("$at", Ms(at))), $"login attempt {attemptId}").ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return decision;
    }

    public async Task<int> ExpireLoginAttemptsInProgressAsync(DateTimeOffset startedBefore, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ExecuteAsync(connection, null, "DELETE FROM login_attempts_in_progress WHERE at < $before;", cancellationToken,
            ("$before", Ms(startedBefore))).ConfigureAwait(false);
    }

    public async Task<PagedResult<LoginAttempt>> ListLoginAttemptsAsync(PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: true);
        var total = Convert.ToInt64(await ScalarAsync(connection, transaction, "SELECT COUNT(*) FROM login_attempts;", cancellationToken).ConfigureAwait(false));
        var items = await QueryAsync(connection, transaction, """
            SELECT id, at, outcome, person_id, similarity, client_address, liveness_refusal FROM login_attempts
            ORDER BY at DESC, seq DESC
            LIMIT $take OFFSET $skip;
            """,
            r => new LoginAttempt(
                Guid.Parse(r.GetString(0)),
                FromMs(r.GetInt64(1)),
                Enum.Parse<LoginOutcome>(r.GetString(2)),
                r.IsDBNull(3) ? null : Guid.Parse(r.GetString(3)),
                r.IsDBNull(4) ? null : r.GetFloat(4),
                r.GetString(5))
            {
                LivenessRefusal = r.IsDBNull(6) ? null : Enum.Parse<Faces.Liveness.LivenessRefusal>(r.GetString(6)),
            },
            cancellationToken, ("$take", page.Limit), ("$skip", page.Offset)).ConfigureAwait(false);
        return new PagedResult<LoginAttempt>(items, total);
    }

    public async Task<int> CountFailedAttemptsAsync(string clientAddress, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var (failedFilter, outcomeParameters) = OutcomeFilter(LoginOutcomeExtensions.LockOutOutcomes, "outcome");
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToInt32(await ScalarAsync(connection, null, $"""
            SELECT COUNT(*) FROM login_attempts
            WHERE client_address = $clientAddress AND at >= $since AND {failedFilter};
            """, cancellationToken, [("$clientAddress", clientAddress), ("$since", Ms(since)), .. outcomeParameters]).ConfigureAwait(false));
    }

    /// <summary>"outcome IN (...)" over <paramref name="outcomes"/>, as parameters named by <paramref name="prefix"/>.</summary>
    private static (string Filter, (string Name, object? Value)[] Parameters) OutcomeFilter(IReadOnlyList<LoginOutcome> outcomes, string prefix)
    {
        var parameters = outcomes.Select((o, i) => ($"${prefix}{i}", (object?)o.ToString())).ToArray();
        return ($"outcome IN ({string.Join(", ", parameters.Select(p => p.Item1))})", parameters);
    }

    /// <summary>Returns pooled connections' file handles, so the file can be moved or deleted (tests, backups).</summary>
    public void Dispose()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private const string PersonColumns =
        "p.id, p.full_name, p.registered_at, p.consented_at, p.consent_version, p.is_admin, p.last_sign_in_at, p.session_version, " +
        "p.failed_near_matches, p.face_sign_in_suspended_at";

    private const int PersonColumnCount = 10;

    private const string FaceColumns =
        "f.face_id, f.person_id, f.image_key, f.box_left, f.box_top, f.box_width, f.box_height, f.indexed_at";

    private static Person ReadPerson(SqliteDataReader r) => new(
        Guid.Parse(r.GetString(0)),
        r.GetString(1),
        FromMs(r.GetInt64(2)),
        FromMs(r.GetInt64(3)),
        r.GetString(4),
        r.GetInt64(5) == 1,
        r.IsDBNull(6) ? null : FromMs(r.GetInt64(6)))
    {
        SessionVersion = r.GetInt64(7),
        FailedNearMatches = r.GetInt32(8),
        FaceSignInSuspendedAt = r.IsDBNull(9) ? null : FromMs(r.GetInt64(9)),
    };

    /// <summary>Null when the columns are NULL (a person without faces in a LEFT JOIN).</summary>
    private static RegisteredFace? ReadFace(SqliteDataReader r, int first)
    {
        if (r.IsDBNull(first))
        {
            return null;
        }

        var keyText = r.GetString(first + 2);
        if (!FaceImageKey.TryParse(keyText, out var key))
        {
            throw new InvalidDataException($"Face {r.GetString(first)} has a malformed image key.");
        }

        return new RegisteredFace(
            r.GetString(first),
            Guid.Parse(r.GetString(first + 1)),
            key,
            new BoundingBox(r.GetFloat(first + 3), r.GetFloat(first + 4), r.GetFloat(first + 5), r.GetFloat(first + 6)),
            FromMs(r.GetInt64(first + 7)));
    }

    private static Task<int> InsertFaceAsync(SqliteConnection connection, SqliteTransaction? transaction, RegisteredFace face, int generation, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, """
            INSERT INTO faces (face_id, person_id, image_key, box_left, box_top, box_width, box_height, indexed_at, generation)
            VALUES ($faceId, $personId, $imageKey, $left, $top, $width, $height, $indexedAt, $generation);
            """, cancellationToken,
            ("$faceId", face.FaceId), ("$personId", Id(face.PersonId)), ("$imageKey", face.ImageKey.Value),
            ("$left", face.Box.Left), ("$top", face.Box.Top), ("$width", face.Box.Width), ("$height", face.Box.Height),
            ("$indexedAt", Ms(face.IndexedAt)), ("$generation", generation));

    /// <summary>Turns SQLite's constraint errors into the port's conflict; <paramref name="what"/> names ids only, never a name.</summary>
    private static async Task RunConflictingAsync(Func<Task> write, string what)
    {
        try
        {
            await write().ConfigureAwait(false);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SQLitePCL.raw.SQLITE_CONSTRAINT)
        {
            var reason = ex.SqliteExtendedErrorCode == SQLitePCL.raw.SQLITE_CONSTRAINT_FOREIGNKEY ? "refers to a person who does not exist" : "exists already";
            throw new DirectoryConflictException($"Cannot add {what}: it {reason}.");
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            // Per connection, not per file: pooled connections get it again on every open, which costs nothing.
            await ExecuteAsync(connection, null, "PRAGMA secure_delete = ON;", cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Copies the WAL into the database file and truncates it to zero bytes, so deleted content has no older copy left in it.
    /// Best effort: with a reader holding an old snapshot the checkpoint stops short, and the next one finishes.
    /// </summary>
    private async Task TruncateWriteAheadLogAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, null, "PRAGMA wal_checkpoint(TRUNCATE);", []);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && reader.GetInt32(0) != 0)
        {
            _logger.LogDebug("The directory's WAL could not be fully checkpointed after a deletion (a reader was busy); the next checkpoint finishes it");
        }
    }

    private async Task EnsureInitializedAsync(CancellationToken cancellationToken)
    {
        if (_initialized)
        {
            return;
        }

        await _initGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_initialized)
            {
                return;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
            await using var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, null, "PRAGMA secure_delete = ON;", cancellationToken).ConfigureAwait(false);
            // WAL is a property of the file: readers do not block the writer, and it outlives this connection.
            await ScalarAsync(connection, null, "PRAGMA journal_mode = WAL;", cancellationToken).ConfigureAwait(false);
            var migrator = new SqliteMigrator(SqliteDirectorySchema.Migrations);
            var before = await migrator.MigrateAsync(connection, cancellationToken).ConfigureAwait(false);
            if (before != migrator.LatestVersion)
            {
                _logger.LogInformation("Directory schema at {Path} migrated from version {From} to {To}", DatabasePath, before, migrator.LatestVersion);
            }

            await PurgeExpiredAttemptsAsync(connection, cancellationToken).ConfigureAwait(false);
            Interlocked.Exchange(ref _lastPurgeTicks, _time.GetUtcNow().UtcTicks);
            _served = await ReadActiveGenerationAsync(connection, null, cancellationToken).ConfigureAwait(false);
            _initialized = true;
        }
        finally
        {
            _initGate.Release();
        }
    }

    private async Task PurgeExpiredAttemptsAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var cutoff = _time.GetUtcNow() - TimeSpan.FromDays(_options.LoginAttemptRetentionDays);
        var purged = await ExecuteAsync(connection, null, "DELETE FROM login_attempts WHERE at < $cutoff;", cancellationToken, ("$cutoff", Ms(cutoff))).ConfigureAwait(false);
        // Started attempts never ended (a crash) stop counting once out of any lock-out window; they go with the old attempts.
        await ExecuteAsync(connection, null, "DELETE FROM login_attempts_in_progress WHERE at < $cutoff;", cancellationToken, ("$cutoff", Ms(cutoff))).ConfigureAwait(false);
        if (purged > 0)
        {
            _logger.LogInformation("Deleted {Count} login attempts older than {Days} days", purged, _options.LoginAttemptRetentionDays);
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static async Task<int> ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<T>> QueryAsync<T>(SqliteConnection connection, SqliteTransaction? transaction, string sql,
        Func<SqliteDataReader, T> read, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static string Id(Guid id) => id.ToString("D");

    private static long Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
