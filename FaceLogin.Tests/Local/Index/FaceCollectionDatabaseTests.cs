using System.Runtime.InteropServices;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Index;
using FaceLogin.Domain.Ports;
using Microsoft.Data.Sqlite;

namespace FaceLogin.Tests.Local.Index;

public sealed class FaceCollectionDatabaseTests : IDisposable
{
    private const string Collection = "tests";
    private readonly TemporaryDataFolder _folder = new();
    private readonly VectorFactory _factory = new(43);
    private readonly CancellationToken _cancellation = TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Migrating_a_new_file_creates_the_schema_in_wal_mode_and_migrating_again_changes_nothing()
    {
        var database = new FaceCollectionDatabase(_folder.File("sub/collection.db"));
        Assert.Equal(FaceCollectionDatabase.Migrations.Count, await database.MigrateAsync(_cancellation));
        await database.CreateCollectionAsync(new StoredCollection(Collection, "m1", 4, DateTimeOffset.UnixEpoch), _cancellation);
        await database.InsertFaceAsync(Face("ext-1", _factory.Unit(4)), _cancellation);

        Assert.Equal(FaceCollectionDatabase.Migrations.Count, await database.MigrateAsync(_cancellation));
        Assert.Equal(FaceCollectionDatabase.Migrations.Count, await new FaceCollectionDatabase(database.Path).MigrateAsync(_cancellation));

        Assert.Equal(1, await database.CountFacesAsync(Collection, _cancellation));
        using var connection = Open(database.Path);
        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode"));
        Assert.Equal(2L, Scalar(connection, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('collections', 'faces')"));
    }

    [Fact]
    public void The_migrator_applies_only_pending_steps_in_order_and_refuses_a_newer_file()
    {
        using var connection = Open(_folder.File("migrations.db"));
        SqliteMigration[] first = [new(1, "CREATE TABLE a (x INTEGER)")];
        SqliteMigration[] both = [.. first, new(2, "CREATE TABLE b (y INTEGER); INSERT INTO a VALUES (1)")];

        Assert.Equal(1, SqliteSchemaMigrator.Migrate(connection, first));
        Assert.Equal(2, SqliteSchemaMigrator.Migrate(connection, both));
        Assert.Equal(2, SqliteSchemaMigrator.Migrate(connection, both));

        // Step 2 ran exactly once.
        Assert.Equal(1L, Scalar(connection, "SELECT COUNT(*) FROM a"));
        var refused = Assert.Throws<InvalidOperationException>(() => SqliteSchemaMigrator.Migrate(connection, first));
        Assert.Contains("newer", refused.Message);
        Assert.Throws<ArgumentException>(() => SqliteSchemaMigrator.Migrate(connection, [new(2, "SELECT 1")]));
    }

    [Fact]
    public void A_failing_step_leaves_the_file_at_the_previous_version()
    {
        using var connection = Open(_folder.File("failing.db"));
        SqliteMigration[] steps = [new(1, "CREATE TABLE a (x INTEGER)"), new(2, "CREATE TABLE b (y INTEGER); THIS IS NOT SQL")];

        Assert.Throws<SqliteException>(() => SqliteSchemaMigrator.Migrate(connection, steps));
        Assert.Equal(1, SqliteSchemaMigrator.UserVersion(connection, null));
        Assert.Equal(0L, Scalar(connection, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'b'"));
    }

    [Fact]
    public async Task Faces_round_trip_records_and_embeddings_bit_for_bit()
    {
        var database = await NewDatabaseAsync(dimension: 128);
        var faces = Enumerable.Range(0, 50).Select(i => Face($"person-{i}:photo.{i}", _factory.Unit(128))).ToList();
        foreach (var face in faces)
        {
            await database.InsertFaceAsync(face, _cancellation);
        }

        using var index = new FaceVectorIndex(128);
        await database.LoadEmbeddingsAsync(Collection, index, _cancellation);
        Assert.Equal(50, index.Count);
        using (var connection = Open(database.Path))
        {
            foreach (var face in faces)
            {
                // Stored bit for bit in the file; loaded into the index as its int8 quantisation (the score against x̂).
                var blob = (byte[])Scalar(connection, $"SELECT embedding FROM faces WHERE face_id = '{face.Record.FaceId}'")!;
                Assert.Equal(face.Embedding, MemoryMarshal.Cast<byte, float>(blob).ToArray());
                var best = index.Search(face.Embedding, 1, -1f)[0];
                var expected = StoredVector.Of(Guid.Parse(face.Record.FaceId), face.Embedding).Cosine(UnitVector.Normalize(face.Embedding));
                Assert.Equal((face.Record.FaceId, expected), (best.Id.ToString("D"), best.Cosine));
            }
        }

        var records = await database.GetFacesAsync(Collection, faces.Take(3).Select(f => f.Record.FaceId).Append(Guid.NewGuid().ToString()).ToList(), _cancellation);
        Assert.Equal(3, records.Count);
        Assert.All(faces.Take(3), face => Assert.Equal(face.Record, records[face.Record.FaceId]));

        var stored = await database.GetCollectionAsync(Collection, _cancellation);
        Assert.Equal(new StoredCollection(Collection, "m1", 128, DateTimeOffset.UnixEpoch), stored);
        Assert.Equal([new StoredModelVersion("m1", 50, 512, 512)], await database.GetModelVersionsAsync(Collection, _cancellation));
    }

    [Fact]
    public async Task Listing_pages_in_indexing_order_and_deleting_reports_only_what_existed()
    {
        var database = await NewDatabaseAsync(dimension: 4);
        var faces = Enumerable.Range(0, 7).Select(i => Face($"e{i}", _factory.Unit(4))).ToList();
        foreach (var face in faces)
        {
            await database.InsertFaceAsync(face, _cancellation);
        }

        var first = await database.ListFacesAsync(Collection, 0, 4, _cancellation);
        var second = await database.ListFacesAsync(Collection, first[^1].Seq, 4, _cancellation);
        Assert.Equal(faces.Select(f => f.Record), first.Concat(second).Select(row => row.Record));

        var unknown = Guid.NewGuid().ToString();
        var deleted = await database.DeleteFacesAsync(Collection, [faces[1].Record.FaceId, unknown, faces[4].Record.FaceId], _cancellation);
        Assert.Equal([faces[1].Record.FaceId, faces[4].Record.FaceId], deleted);
        Assert.Empty(await database.DeleteFacesAsync(Collection, [faces[1].Record.FaceId], _cancellation));
        Assert.Equal(5, await database.CountFacesAsync(Collection, _cancellation));

        // Deleted rows are gone for good: not even their embedding stays in the file's tables.
        using var connection = Open(database.Path);
        Assert.Equal(0L, Scalar(connection, $"SELECT COUNT(*) FROM faces WHERE face_id = '{faces[1].Record.FaceId}'"));
    }

    [Fact]
    public async Task Loading_refuses_an_embedding_of_the_wrong_size()
    {
        var database = await NewDatabaseAsync(dimension: 8);
        await database.InsertFaceAsync(Face("short", _factory.Unit(4)), _cancellation);

        using var index = new FaceVectorIndex(8);
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => database.LoadEmbeddingsAsync(Collection, index, _cancellation));
        Assert.Contains("16-byte", error.Message);
    }

    [Fact]
    public async Task Catching_up_applies_what_another_connection_added_and_deleted_and_nothing_twice()
    {
        var database = await NewDatabaseAsync(dimension: 8);
        var before = Enumerable.Range(0, 4).Select(i => Face($"before-{i}", _factory.Unit(8))).ToList();
        await database.InsertFacesAsync(before, _cancellation);
        using var index = new FaceVectorIndex(8);
        var cursor = await database.LoadEmbeddingsAsync(Collection, index, _cancellation);

        // Another process: its own database object, so its own connections.
        var other = new FaceCollectionDatabase(database.Path);
        var added = Enumerable.Range(0, 3).Select(i => Face($"added-{i}", _factory.Unit(8))).ToList();
        await other.InsertFacesAsync(added, _cancellation);
        var addedThenDeleted = Face("short-lived", _factory.Unit(8));
        await other.InsertFaceAsync(addedThenDeleted, _cancellation);
        await other.DeleteFacesAsync(Collection, [before[0].Record.FaceId, added[1].Record.FaceId, addedThenDeleted.Record.FaceId], _cancellation);

        Assert.Equal(new ChangesApplied(Added: 2, Removed: 1), await database.ApplyChangesAsync(Collection, "m1", index, cursor, _cancellation));
        Assert.Equal(ChangesApplied.None, await database.ApplyChangesAsync(Collection, "m1", index, cursor, _cancellation));
        var expected = new[] { before[1], before[2], before[3], added[0], added[2] }.ToDictionary(f => Guid.Parse(f.Record.FaceId), f => f.Embedding);
        var query = _factory.Unit(8);
        Assert.Equal(NaiveSearch.TopK(expected, UnitVector.Normalize(query), 10, -1f), index.Search(query, 10, -1f));
    }

    [Fact]
    public async Task When_the_deletion_log_was_pruned_past_the_cursor_the_index_keeps_only_the_ids_still_stored()
    {
        var database = await NewDatabaseAsync(dimension: 8);
        var faces = Enumerable.Range(0, 10).Select(i => Face($"face-{i}", _factory.Unit(8))).ToList();
        await database.InsertFacesAsync(faces, _cancellation);
        using var index = new FaceVectorIndex(8);
        var cursor = await database.LoadEmbeddingsAsync(Collection, index, _cancellation);

        // A writer that keeps only 2 log rows deletes 5 faces one by one: the first 3 deletions leave the log.
        var pruning = new FaceCollectionDatabase(database.Path, deletionLogRetention: 2);
        foreach (var face in faces.Take(5))
        {
            await pruning.DeleteFacesAsync(Collection, [face.Record.FaceId], _cancellation);
        }

        using (var connection = Open(database.Path))
        {
            Assert.Equal(2L, Scalar(connection, "SELECT COUNT(*) FROM deleted_faces"));
            Assert.True((long)Scalar(connection, "SELECT deletions_pruned_through FROM collections")! > cursor.DeletionSeq);
        }

        Assert.Equal(5, (await database.ApplyChangesAsync(Collection, "m1", index, cursor, _cancellation)).Removed);
        var survivors = faces.Skip(5).Select(f => Guid.Parse(f.Record.FaceId)).Order();
        Assert.Equal(survivors, index.Search(_factory.Unit(8), 100, float.NegativeInfinity).Select(m => m.Id).Order());

        // A fresh load starts past the pruned part, so its first catch-up has nothing to reconcile.
        using var fresh = new FaceVectorIndex(8);
        var freshCursor = await database.LoadEmbeddingsAsync(Collection, fresh, _cancellation);
        Assert.Equal(ChangesApplied.None, await database.ApplyChangesAsync(Collection, "m1", fresh, freshCursor, _cancellation));
    }

    [Fact]
    public async Task Catching_up_refuses_a_new_face_of_another_model_and_resumes_after_it_is_deleted()
    {
        var database = await NewDatabaseAsync(dimension: 8);
        using var index = new FaceVectorIndex(8);
        var cursor = await database.LoadEmbeddingsAsync(Collection, index, _cancellation);
        var good = Face("good", _factory.Unit(8));
        var foreign = Face("foreign", _factory.Unit(8)) with { ModelVersion = "m2" };
        await database.InsertFaceAsync(good, _cancellation);
        await database.InsertFaceAsync(foreign, _cancellation);

        var error = await Assert.ThrowsAsync<FaceModelVersionMismatchException>(() => database.ApplyChangesAsync(Collection, "m1", index, cursor, _cancellation));
        Assert.Contains("'m2'", error.Message);

        // The good face before it was applied once; after the foreign one is deleted, the catch-up completes.
        Assert.Equal(1, index.Count);
        await database.DeleteFacesAsync(Collection, [foreign.Record.FaceId], _cancellation);
        Assert.Equal(ChangesApplied.None, await database.ApplyChangesAsync(Collection, "m1", index, cursor, _cancellation));
        Assert.Equal(1, index.Count);
    }

    private async Task<FaceCollectionDatabase> NewDatabaseAsync(int dimension)
    {
        var database = new FaceCollectionDatabase(_folder.File("collection.db"));
        await database.MigrateAsync(_cancellation);
        await database.CreateCollectionAsync(new StoredCollection(Collection, "m1", dimension, DateTimeOffset.UnixEpoch), _cancellation);
        return database;
    }

    private static StoredFace Face(string externalImageId, float[] embedding) => new(
        Collection,
        new FaceRecord(Guid.NewGuid().ToString("D"), externalImageId, new BoundingBox(0.25f, 0.125f, 0.5f, 0.375f), 99.25f, Guid.NewGuid().ToString("D")),
        embedding,
        "m1",
        DateTimeOffset.UnixEpoch.AddDays(1));

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
