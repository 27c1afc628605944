using System.Globalization;
using System.Runtime.InteropServices;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Ports;
using Microsoft.Data.Sqlite;

namespace FaceLogin.Domain.Local.Index;

/// <summary>A collection's row: what it was created with.</summary>
public sealed record StoredCollection(string CollectionId, string FaceModelVersion, int EmbeddingLength, DateTimeOffset CreatedAt);

/// <summary>A face's row: its record, its L2-normalised embedding and the model that made it.</summary>
public sealed record StoredFace(string CollectionId, FaceRecord Record, float[] Embedding, string ModelVersion, DateTimeOffset IndexedAt);

/// <summary>How many faces of a collection each model version embedded, and their embedding sizes in bytes.</summary>
public sealed record StoredModelVersion(string ModelVersion, long Faces, long MinEmbeddingBytes, long MaxEmbeddingBytes);

/// <summary>
/// The local face collection's SQLite file (WAL): collections and faces, embeddings as little-endian float32 BLOBs.
/// It is the source of truth; the in-memory index is rebuilt from it at start-up.
/// </summary>
public sealed class FaceCollectionDatabase
{
    /// <summary>Ordered schema steps; add new ones at the end, never edit a shipped one.</summary>
    public static IReadOnlyList<SqliteMigration> Migrations { get; } =
    [
        new(1, """
            CREATE TABLE collections (
                collection_id      TEXT    NOT NULL PRIMARY KEY,
                face_model_version TEXT    NOT NULL,
                embedding_length   INTEGER NOT NULL,
                created_at         TEXT    NOT NULL
            ) STRICT;
            CREATE TABLE faces (
                seq               INTEGER PRIMARY KEY AUTOINCREMENT,
                collection_id     TEXT    NOT NULL REFERENCES collections (collection_id),
                face_id           TEXT    NOT NULL UNIQUE,
                external_image_id TEXT    NOT NULL,
                image_id          TEXT    NOT NULL,
                box_left          REAL    NOT NULL,
                box_top           REAL    NOT NULL,
                box_width         REAL    NOT NULL,
                box_height        REAL    NOT NULL,
                confidence        REAL    NOT NULL,
                embedding         BLOB    NOT NULL,
                model_version     TEXT    NOT NULL,
                indexed_at        TEXT    NOT NULL
            ) STRICT;
            CREATE INDEX faces_by_collection ON faces (collection_id, seq);
            """),
        // The deletion log that lets every process holding an index in memory catch up with deletions made by another
        // (CollectionIndexSync); additions need no log, as faces.seq already orders them.
        new(2, """
            CREATE TABLE deleted_faces (
                seq           INTEGER PRIMARY KEY AUTOINCREMENT,
                collection_id TEXT    NOT NULL,
                face_id       TEXT    NOT NULL
            ) STRICT;
            ALTER TABLE collections ADD COLUMN deletions_pruned_through INTEGER NOT NULL DEFAULT 0;
            """),
    ];

    /// <summary>Deletion-log rows kept per collection; older ones are pruned (an index that missed them compares ids instead).</summary>
    public const int DefaultDeletionLogRetention = 10_000;

    private const string FaceColumns = "seq, face_id, external_image_id, image_id, box_left, box_top, box_width, box_height, confidence";

    private readonly string _connectionString;
    private readonly int _deletionLogRetention;

    public FaceCollectionDatabase(string path, int deletionLogRetention = DefaultDeletionLogRetention)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(deletionLogRetention, 1);
        _deletionLogRetention = deletionLogRetention;
        if (!BitConverter.IsLittleEndian)
        {
            // Embeddings are written as raw float32 bytes; a big-endian reader would need to swap them.
            throw new PlatformNotSupportedException("The face collection stores little-endian floats.");
        }

        Path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();
    }

    public string Path { get; }

    /// <summary>Creates the file if needed, switches it to WAL and applies pending migrations.</summary>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        if (System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path)) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }

        await using var connection = await OpenAsync(cancellationToken);
        await using (var command = connection.CreateCommand())
        {
            // WAL lets searches read while a face is written; it is a property of the file, so setting it once sticks.
            command.CommandText = "PRAGMA journal_mode = WAL";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return SqliteSchemaMigrator.Migrate(connection, Migrations);
    }

    public async Task<StoredCollection?> GetCollectionAsync(string collectionId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT face_model_version, embedding_length, created_at FROM collections WHERE collection_id = $id";
        command.Parameters.AddWithValue("$id", collectionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredCollection(collectionId, reader.GetString(0), reader.GetInt32(1), ParseTime(reader.GetString(2)))
            : null;
    }

    /// <summary>Inserts the collection unless it exists; returns the row that is there afterwards.</summary>
    public async Task<StoredCollection> CreateCollectionAsync(StoredCollection collection, CancellationToken cancellationToken)
    {
        await using (var connection = await OpenAsync(cancellationToken))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                INSERT INTO collections (collection_id, face_model_version, embedding_length, created_at)
                VALUES ($id, $model, $length, $created)
                ON CONFLICT (collection_id) DO NOTHING
                """;
            command.Parameters.AddWithValue("$id", collection.CollectionId);
            command.Parameters.AddWithValue("$model", collection.FaceModelVersion);
            command.Parameters.AddWithValue("$length", collection.EmbeddingLength);
            command.Parameters.AddWithValue("$created", FormatTime(collection.CreatedAt));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return await GetCollectionAsync(collection.CollectionId, cancellationToken)
            ?? throw new InvalidOperationException($"Collection {collection.CollectionId} vanished right after it was created.");
    }

    public async Task<IReadOnlyList<StoredModelVersion>> GetModelVersionsAsync(string collectionId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT model_version, COUNT(*), MIN(length(embedding)), MAX(length(embedding))
            FROM faces WHERE collection_id = $id GROUP BY model_version
            """;
        command.Parameters.AddWithValue("$id", collectionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var versions = new List<StoredModelVersion>();
        while (await reader.ReadAsync(cancellationToken))
        {
            versions.Add(new StoredModelVersion(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)));
        }

        return versions;
    }

    public Task InsertFaceAsync(StoredFace face, CancellationToken cancellationToken) => InsertFacesAsync([face], cancellationToken);

    /// <summary>Inserts faces in one transaction: all of them or none.</summary>
    public async Task InsertFacesAsync(IEnumerable<StoredFace> faces, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO faces (collection_id, face_id, external_image_id, image_id, box_left, box_top, box_width, box_height,
                               confidence, embedding, model_version, indexed_at)
            VALUES ($collection, $face, $external, $image, $left, $top, $width, $height, $confidence, $embedding, $model, $indexed)
            """;
        var parameters = new[] { "$collection", "$face", "$external", "$image", "$left", "$top", "$width", "$height", "$confidence", "$embedding", "$model", "$indexed" }
            .ToDictionary(name => name, name => command.Parameters.Add(new SqliteParameter { ParameterName = name }));
        foreach (var face in faces)
        {
            var record = face.Record;
            parameters["$collection"].Value = face.CollectionId;
            parameters["$face"].Value = record.FaceId;
            parameters["$external"].Value = record.ExternalImageId;
            parameters["$image"].Value = record.ImageId;
            parameters["$left"].Value = record.Box.Left;
            parameters["$top"].Value = record.Box.Top;
            parameters["$width"].Value = record.Box.Width;
            parameters["$height"].Value = record.Box.Height;
            parameters["$confidence"].Value = record.Confidence;
            parameters["$embedding"].Value = MemoryMarshal.AsBytes(face.Embedding.AsSpan()).ToArray();
            parameters["$model"].Value = face.ModelVersion;
            parameters["$indexed"].Value = FormatTime(face.IndexedAt);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Deletes, in one transaction, those of the faces that exist in the collection; returns their ids. The same transaction
    /// logs each deletion in <c>deleted_faces</c>, so that every other process's index drops the face too
    /// (<see cref="ApplyChangesAsync"/>), and prunes that log to the newest <c>deletionLogRetention</c> rows.
    /// A deleted embedding is a biometric template and must not outlive the delete in the file's bytes: every connection runs
    /// with <c>secure_delete</c> (freed content is zeroed), and the WAL, which still holds the pages as they were, is
    /// checkpointed and truncated.
    /// </summary>
    public async Task<IReadOnlyList<string>> DeleteFacesAsync(string collectionId, IReadOnlyCollection<string> faceIds, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "DELETE FROM faces WHERE collection_id = $collection AND face_id = $face";
        command.Parameters.AddWithValue("$collection", collectionId);
        var face = command.Parameters.Add("$face", SqliteType.Text);
        await using var log = connection.CreateCommand();
        log.Transaction = transaction;
        log.CommandText = "INSERT INTO deleted_faces (collection_id, face_id) VALUES ($collection, $face)";
        log.Parameters.AddWithValue("$collection", collectionId);
        var loggedFace = log.Parameters.Add("$face", SqliteType.Text);
        var deleted = new List<string>();
        foreach (var faceId in faceIds)
        {
            face.Value = faceId;
            if (await command.ExecuteNonQueryAsync(cancellationToken) > 0)
            {
                loggedFace.Value = faceId;
                await log.ExecuteNonQueryAsync(cancellationToken);
                deleted.Add(faceId);
            }
        }

        if (deleted.Count > 0)
        {
            await PruneDeletionLogAsync(transaction, collectionId, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        if (deleted.Count > 0)
        {
            await using var checkpoint = connection.CreateCommand();
            // Best effort: a reader on an old snapshot stops it short, and the next checkpoint finishes the job.
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            await checkpoint.ExecuteNonQueryAsync(cancellationToken);
        }

        return deleted;
    }

    /// <summary>The ids of the collection's faces indexed under <paramref name="externalImageId"/>, whatever model made them.</summary>
    public async Task<IReadOnlyList<string>> FindFaceIdsAsync(string collectionId, string externalImageId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT face_id FROM faces WHERE collection_id = $collection AND external_image_id = $external ORDER BY seq";
        command.Parameters.AddWithValue("$collection", collectionId);
        command.Parameters.AddWithValue("$external", externalImageId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>
    /// Deletes every face of the collection (logged, as any deletion, so other processes' indexes drop them) and then its row.
    /// False when there was no such collection.
    /// </summary>
    public async Task<bool> DeleteCollectionAsync(string collectionId, CancellationToken cancellationToken)
    {
        if (await GetCollectionAsync(collectionId, cancellationToken) is null)
        {
            return false;
        }

        while (true)
        {
            var page = await ListFacesAsync(collectionId, 0, 1000, cancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            await DeleteFacesAsync(collectionId, page.Select(f => f.Record.FaceId).ToList(), cancellationToken);
        }

        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM collections WHERE collection_id = $collection";
        command.Parameters.AddWithValue("$collection", collectionId);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>The records of those of <paramref name="faceIds"/> that exist, by id.</summary>
    public async Task<IReadOnlyDictionary<string, FaceRecord>> GetFacesAsync(string collectionId, IReadOnlyCollection<string> faceIds, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, FaceRecord>(StringComparer.Ordinal);
        if (faceIds.Count == 0)
        {
            return found;
        }

        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var names = faceIds.Select((id, i) =>
        {
            var name = "$f" + i.ToString(CultureInfo.InvariantCulture);
            command.Parameters.AddWithValue(name, id);
            return name;
        }).ToList();
        command.CommandText = $"SELECT {FaceColumns} FROM faces WHERE collection_id = $collection AND face_id IN ({string.Join(", ", names)})";
        command.Parameters.AddWithValue("$collection", collectionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var record = ReadRecord(reader);
            found[record.FaceId] = record;
        }

        return found;
    }

    /// <summary>Up to <paramref name="maxResults"/> faces after position <paramref name="afterSeq"/>, in the order they were indexed, with each one's position.</summary>
    public async Task<IReadOnlyList<(long Seq, FaceRecord Record)>> ListFacesAsync(string collectionId, long afterSeq, int maxResults, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {FaceColumns} FROM faces WHERE collection_id = $collection AND seq > $after ORDER BY seq LIMIT $limit";
        command.Parameters.AddWithValue("$collection", collectionId);
        command.Parameters.AddWithValue("$after", afterSeq);
        command.Parameters.AddWithValue("$limit", maxResults);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var page = new List<(long, FaceRecord)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            page.Add((reader.GetInt64(0), ReadRecord(reader)));
        }

        return page;
    }

    public async Task<long> CountFacesAsync(string collectionId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM faces WHERE collection_id = $collection";
        command.Parameters.AddWithValue("$collection", collectionId);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Streams every embedding of the collection into <paramref name="index"/>, in indexing order, and returns the position in the
    /// collection's history that the index now reflects (for <see cref="ApplyChangesAsync"/>). Position and rows come from one
    /// read transaction, so they agree. Each BLOB is read into one reused buffer and handed to the index as floats without
    /// conversion or per-row allocation.
    /// </summary>
    /// <exception cref="InvalidDataException">A row's embedding has the wrong size, is not unit length, or its id is malformed.</exception>
    public async Task<ChangeCursor> LoadEmbeddingsAsync(string collectionId, FaceVectorIndex index, CancellationToken cancellationToken)
    {
        index.EnsureCapacity(checked((int)await CountFacesAsync(collectionId, cancellationToken)));
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: true);
        var cursor = new ChangeCursor();
        // Every deletion up to here is already reflected in the rows read below; so are pruned ones.
        await using (var position = CollectionCommand(transaction, collectionId, """
            SELECT MAX(COALESCE((SELECT MAX(seq) FROM deleted_faces), 0),
                       COALESCE((SELECT deletions_pruned_through FROM collections WHERE collection_id = $collection), 0))
            """))
        {
            cursor.DeletionSeq = Convert.ToInt64(await position.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

        await using var command = CollectionCommand(transaction, collectionId, "SELECT seq, face_id, embedding FROM faces WHERE collection_id = $collection ORDER BY seq");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var buffer = new byte[index.Dimension * sizeof(float)];
        while (await reader.ReadAsync(cancellationToken))
        {
            AddRow(reader, index, buffer);
            cursor.FaceSeq = reader.GetInt64(0);
        }

        return cursor;
    }

    /// <summary>
    /// Brings <paramref name="index"/> from <paramref name="cursor"/> up to the file's present state, whoever wrote it: removes
    /// the faces deleted since (the <c>deleted_faces</c> log), then adds the faces indexed since (<c>faces.seq</c> beyond the
    /// cursor). The cursor moves with every row applied, so a catch-up cut short (cancelled, a bad row) resumes where it stopped
    /// and never applies a row twice. When the log was pruned past the cursor, the index keeps only the ids the file still holds.
    /// </summary>
    /// <exception cref="FaceModelVersionMismatchException">A new face was embedded by another model than <paramref name="modelVersion"/>.</exception>
    /// <exception cref="InvalidDataException">A new face's embedding has the wrong size, is not unit length, or its id is malformed.</exception>
    public async Task<ChangesApplied> ApplyChangesAsync(
        string collectionId, string modelVersion, FaceVectorIndex index, ChangeCursor cursor, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);

        // One snapshot for all three reads: a deletion and the rows it concerns are seen together or not at all.
        await using var transaction = connection.BeginTransaction(deferred: true);
        var removed = 0;
        var prunedThrough = await PrunedThroughAsync(transaction, collectionId, cancellationToken);
        if (prunedThrough > cursor.DeletionSeq)
        {
            removed += index.RetainOnly(await FaceIdsAsync(transaction, collectionId, cancellationToken));
            cursor.DeletionSeq = prunedThrough;
        }

        await using (var deletions = CollectionCommand(
            transaction, collectionId, "SELECT seq, face_id FROM deleted_faces WHERE collection_id = $collection AND seq > $after ORDER BY seq"))
        {
            deletions.Parameters.AddWithValue("$after", cursor.DeletionSeq);
            await using var reader = await deletions.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (Guid.TryParseExact(reader.GetString(1), "D", out var faceId) && index.Remove(faceId))
                {
                    removed++;
                }

                cursor.DeletionSeq = reader.GetInt64(0);
            }
        }

        var added = 0;
        await using (var additions = CollectionCommand(
            transaction, collectionId, "SELECT seq, face_id, embedding, model_version FROM faces WHERE collection_id = $collection AND seq > $after ORDER BY seq"))
        {
            additions.Parameters.AddWithValue("$after", cursor.FaceSeq);
            await using var reader = await additions.ExecuteReaderAsync(cancellationToken);
            var buffer = new byte[index.Dimension * sizeof(float)];
            while (await reader.ReadAsync(cancellationToken))
            {
                if (reader.GetString(3) is var rowModel && rowModel != modelVersion)
                {
                    throw new FaceModelVersionMismatchException(
                        $"{Path}: face {reader.GetString(1)} of collection '{collectionId}' was embedded by model '{rowModel}', not by the running " +
                        $"'{modelVersion}', so it cannot be searched; it was written by another process. Delete it or re-register it.");
                }

                AddRow(reader, index, buffer);
                cursor.FaceSeq = reader.GetInt64(0);
                added++;
            }
        }

        return new ChangesApplied(added, removed);
    }

    /// <summary>Opens a connection kept for <see cref="FaceCollectionWatch.DataVersion"/>; the caller disposes it.</summary>
    public async Task<FaceCollectionWatch> WatchAsync(CancellationToken cancellationToken) =>
        new(await OpenAsync(cancellationToken));

    /// <summary>Returns pooled connections' file handles, e.g. before a test deletes its folder.</summary>
    public void ReleaseConnections()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using (var secureDelete = connection.CreateCommand())
            {
                // A per-connection setting: pooled connections get it again on every open, which costs nothing.
                secureDelete.CommandText = "PRAGMA secure_delete = ON";
                await secureDelete.ExecuteNonQueryAsync(cancellationToken);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Adds the row's (seq, face_id, embedding, …) face to the index, or says which row cannot be loaded and why.</summary>
    private void AddRow(SqliteDataReader reader, FaceVectorIndex index, byte[] buffer)
    {
        var faceIdText = reader.GetString(1);
        if (!Guid.TryParseExact(faceIdText, "D", out var faceId))
        {
            throw new InvalidDataException($"{Path}: face id '{faceIdText}' is not a GUID.");
        }

        var length = reader.GetBytes(2, 0, null, 0, 0);
        if (length != buffer.Length)
        {
            throw new InvalidDataException($"{Path}: face {faceId} has a {length}-byte embedding; {buffer.Length} bytes were expected.");
        }

        reader.GetBytes(2, 0, buffer, 0, buffer.Length);
        try
        {
            index.Add(faceId, MemoryMarshal.Cast<byte, float>(buffer.AsSpan()));
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"{Path}: face {faceId} cannot be loaded: {ex.Message}", ex);
        }
    }

    /// <summary>Keeps the newest <c>deletionLogRetention</c> log rows of the collection and records how far it was cut.</summary>
    private async Task PruneDeletionLogAsync(SqliteTransaction transaction, string collectionId, CancellationToken cancellationToken)
    {
        await using var cut = CollectionCommand(transaction, collectionId, "SELECT seq FROM deleted_faces WHERE collection_id = $collection ORDER BY seq DESC LIMIT 1 OFFSET $keep");
        cut.Parameters.AddWithValue("$keep", _deletionLogRetention);
        if (await cut.ExecuteScalarAsync(cancellationToken) is not long through)
        {
            return;
        }

        await using var prune = CollectionCommand(transaction, collectionId, """
            UPDATE collections SET deletions_pruned_through = $through WHERE collection_id = $collection;
            DELETE FROM deleted_faces WHERE collection_id = $collection AND seq <= $through;
            """);
        prune.Parameters.AddWithValue("$through", through);
        await prune.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<long> PrunedThroughAsync(SqliteTransaction transaction, string collectionId, CancellationToken cancellationToken)
    {
        await using var command = CollectionCommand(transaction, collectionId, "SELECT deletions_pruned_through FROM collections WHERE collection_id = $collection");
        return await command.ExecuteScalarAsync(cancellationToken) is long through ? through : 0;
    }

    private async Task<HashSet<Guid>> FaceIdsAsync(SqliteTransaction transaction, string collectionId, CancellationToken cancellationToken)
    {
        await using var command = CollectionCommand(transaction, collectionId, "SELECT face_id FROM faces WHERE collection_id = $collection");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new HashSet<Guid>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(Guid.TryParseExact(reader.GetString(0), "D", out var id) ? id : throw new InvalidDataException($"{Path}: face id '{reader.GetString(0)}' is not a GUID."));
        }

        return ids;
    }

    /// <summary>A command in <paramref name="transaction"/> with <c>$collection</c> bound.</summary>
    private static SqliteCommand CollectionCommand(SqliteTransaction transaction, string collectionId, string sql)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$collection", collectionId);
        return command;
    }

    private static FaceRecord ReadRecord(SqliteDataReader reader) => new(
        FaceId: reader.GetString(1),
        ExternalImageId: reader.GetString(2),
        Box: new BoundingBox(reader.GetFloat(4), reader.GetFloat(5), reader.GetFloat(6), reader.GetFloat(7)),
        Confidence: reader.GetFloat(8),
        ImageId: reader.GetString(3));

    private static string FormatTime(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
