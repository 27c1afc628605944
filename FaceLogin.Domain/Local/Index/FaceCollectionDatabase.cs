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
    ];

    private const string FaceColumns = "seq, face_id, external_image_id, image_id, box_left, box_top, box_width, box_height, confidence";

    private readonly string _connectionString;

    public FaceCollectionDatabase(string path)
    {
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
    /// Deletes, in one transaction, those of the faces that exist in the collection; returns their ids. A deleted embedding is a
    /// biometric template and must not outlive the delete in the file's bytes: every connection runs with <c>secure_delete</c>
    /// (freed content is zeroed), and the WAL, which still holds the pages as they were, is checkpointed and truncated.
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
        var deleted = new List<string>();
        foreach (var faceId in faceIds)
        {
            face.Value = faceId;
            if (await command.ExecuteNonQueryAsync(cancellationToken) > 0)
            {
                deleted.Add(faceId);
            }
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
    /// Streams every embedding of the collection into <paramref name="index"/>, in indexing order. Each BLOB is read into one
    /// reused buffer and handed to the index as floats without conversion or per-row allocation.
    /// </summary>
    /// <exception cref="InvalidDataException">A row's embedding has the wrong size, is not unit length, or its id is malformed.</exception>
    public async Task LoadEmbeddingsAsync(string collectionId, FaceVectorIndex index, CancellationToken cancellationToken)
    {
        index.EnsureCapacity(checked((int)await CountFacesAsync(collectionId, cancellationToken)));
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT face_id, embedding FROM faces WHERE collection_id = $collection ORDER BY seq";
        command.Parameters.AddWithValue("$collection", collectionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var buffer = new byte[index.Dimension * sizeof(float)];
        while (await reader.ReadAsync(cancellationToken))
        {
            var faceIdText = reader.GetString(0);
            if (!Guid.TryParseExact(faceIdText, "D", out var faceId))
            {
                throw new InvalidDataException($"{Path}: face id '{faceIdText}' is not a GUID.");
            }

            var length = reader.GetBytes(1, 0, null, 0, 0);
            if (length != buffer.Length)
            {
                throw new InvalidDataException($"{Path}: face {faceId} has a {length}-byte embedding; {buffer.Length} bytes were expected.");
            }

            reader.GetBytes(1, 0, buffer, 0, buffer.Length);
            try
            {
                index.Add(faceId, MemoryMarshal.Cast<byte, float>(buffer.AsSpan()));
            }
            catch (ArgumentException ex)
            {
                throw new InvalidDataException($"{Path}: face {faceId} cannot be loaded: {ex.Message}", ex);
            }
        }
    }

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

    private static FaceRecord ReadRecord(SqliteDataReader reader) => new(
        FaceId: reader.GetString(1),
        ExternalImageId: reader.GetString(2),
        Box: new BoundingBox(reader.GetFloat(4), reader.GetFloat(5), reader.GetFloat(6), reader.GetFloat(7)),
        Confidence: reader.GetFloat(8),
        ImageId: reader.GetString(3));

    private static string FormatTime(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
