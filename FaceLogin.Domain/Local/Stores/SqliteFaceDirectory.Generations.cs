using FaceLogin.Domain.Ports;
using Microsoft.Data.Sqlite;

namespace FaceLogin.Domain.Local.Stores;

/// <summary>
/// Collection generations in SQLite (<see cref="ICollectionGenerations"/>): face records carry their generation, the active
/// generation and the re-index in progress are one-row tables, and every change that must be atomic is one transaction
/// (<c>BEGIN IMMEDIATE</c>: writers of every process take turns on the file).
/// </summary>
public sealed partial class SqliteFaceDirectory
{
    /// <summary>How long <see cref="HoldReindexLockAsync"/> tries before saying another re-index runs.</summary>
    private static readonly TimeSpan ReindexLockWait = TimeSpan.FromSeconds(2);

    public async Task<CollectionGeneration?> GetServedGenerationAsync(CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        return _served;
    }

    public async Task<CollectionGeneration?> ReadActiveGenerationAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadActiveGenerationAsync(connection, null, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ReindexTarget?> GetReindexTargetAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadTargetAsync(connection, null, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ReindexTarget> BeginReindexAsync(ReindexTarget proposed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(proposed);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, """
            INSERT INTO reindex_target (id, generation, collection_id, model_version, started_at)
            VALUES (1, $generation, $collectionId, $modelVersion, $startedAt)
            ON CONFLICT (id) DO NOTHING;
            """, cancellationToken,
            ("$generation", proposed.Generation), ("$collectionId", proposed.CollectionId), ("$modelVersion", proposed.ModelVersion),
            ("$startedAt", Ms(proposed.StartedAt))).ConfigureAwait(false);
        var recorded = await ReadTargetAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return recorded!;
    }

    public async Task AbandonReindexAsync(ReindexTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        if (await ReadTargetAsync(connection, transaction, cancellationToken).ConfigureAwait(false) is { } recorded && recorded.Generation == target.Generation)
        {
            await ExecuteAsync(connection, transaction, "DELETE FROM faces WHERE generation = $generation;", cancellationToken, ("$generation", target.Generation)).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, "DELETE FROM reindex_target;", cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ordered by face id; the page token is the last face id returned.</summary>
    public async Task<FaceRecordPage> ListFacesAsync(int generation, string? pageToken, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var faces = await QueryAsync(connection, null, $"""
            SELECT {FaceColumns} FROM faces f
            WHERE f.generation = $generation AND f.face_id > $after
            ORDER BY f.face_id LIMIT $take;
            """, r => ReadFace(r, 0)!, cancellationToken,
            ("$generation", generation), ("$after", pageToken ?? string.Empty), ("$take", limit + 1)).ConfigureAwait(false);
        return faces.Count > limit
            ? new FaceRecordPage([.. faces.Take(limit)], faces[limit - 1].FaceId)
            : new FaceRecordPage(faces, null);
    }

    public async Task<ReindexedFaceOutcome> AddReindexedFaceAsync(RegisteredFace face, int generation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(face);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        if (Convert.ToInt64(await ScalarAsync(connection, transaction, "SELECT COUNT(*) FROM people WHERE id = $id;", cancellationToken,
                ("$id", Id(face.PersonId))).ConfigureAwait(false)) == 0)
        {
            return ReindexedFaceOutcome.PersonGone;
        }

        if (Convert.ToInt64(await ScalarAsync(connection, transaction, "SELECT COUNT(*) FROM faces WHERE generation = $generation AND image_key = $imageKey;",
                cancellationToken, ("$generation", generation), ("$imageKey", face.ImageKey.Value)).ConfigureAwait(false)) > 0)
        {
            return ReindexedFaceOutcome.AlreadyThere;
        }

        await RunConflictingAsync(() => InsertFaceAsync(connection, transaction, face, generation, cancellationToken), $"face {face.FaceId} of generation {generation}").ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return ReindexedFaceOutcome.Added;
    }

    public async Task<CollectionGeneration> SwitchAsync(ReindexTarget target, CollectionGeneration from, string? retainedCollectionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(from);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var active = await ReadActiveGenerationAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var recorded = await ReadTargetAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        if ((active?.Number ?? 0) != from.Number || !ReindexTarget.Same(recorded, target))
        {
            throw new DirectoryConflictException(
                $"Cannot switch to generation {target.Generation}: the active generation is {active?.Number ?? 0} (expected {from.Number}) " +
                $"and the re-index in progress is {(recorded is null ? "none" : recorded.Generation.ToString(System.Globalization.CultureInfo.InvariantCulture))}.");
        }

        var retained = (active?.RetainedCollectionIds ?? []).Append(retainedCollectionId).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var switched = new CollectionGeneration(target.Generation, target.CollectionId, target.ModelVersion, _time.GetUtcNow(), from.Number, retained);
        await ExecuteAsync(connection, transaction, """
            INSERT INTO collection_generation (id, number, collection_id, model_version, since, previous_generation, retained)
            VALUES (1, $number, $collectionId, $modelVersion, $since, $previous, $retained)
            ON CONFLICT (id) DO UPDATE SET number = excluded.number, collection_id = excluded.collection_id, model_version = excluded.model_version,
                since = excluded.since, previous_generation = excluded.previous_generation, retained = excluded.retained;
            """, cancellationToken,
            ("$number", switched.Number), ("$collectionId", switched.CollectionId), ("$modelVersion", switched.ModelVersion),
            ("$since", Ms(switched.Since!.Value)), ("$previous", switched.PreviousGeneration), ("$retained", string.Join('\n', retained))).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, "DELETE FROM reindex_target;", cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (await ReadActiveGenerationAsync(connection, null, cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<int> DeleteFacesOfGenerationAsync(int generation, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var active = await ReadActiveGenerationAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        if ((active?.Number ?? 0) == generation)
        {
            throw new InvalidOperationException($"Generation {generation} is the active one; its face records are the registered faces.");
        }

        var deleted = await ExecuteAsync(connection, transaction, """
            DELETE FROM faces WHERE face_id IN (SELECT face_id FROM faces WHERE generation = $generation LIMIT $limit);
            """, cancellationToken, ("$generation", generation), ("$limit", limit)).ConfigureAwait(false);
        if (active?.PreviousGeneration == generation && deleted < limit)
        {
            // Nothing of the previous generation is left: the switch's tail is done.
            await ExecuteAsync(connection, transaction, "UPDATE collection_generation SET previous_generation = NULL;", cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    public async Task ForgetRetainedCollectionAsync(string collectionId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        if (await ReadActiveGenerationAsync(connection, transaction, cancellationToken).ConfigureAwait(false) is { } active)
        {
            var retained = active.RetainedCollectionIds.Where(id => id != collectionId);
            await ExecuteAsync(connection, transaction, "UPDATE collection_generation SET retained = $retained;", cancellationToken,
                ("$retained", string.Join('\n', retained))).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An exclusive lock on a file beside the database: the OS releases it when its holder dies.</summary>
    public async Task<IAsyncDisposable> HoldReindexLockAsync(CancellationToken cancellationToken)
    {
        var path = DatabasePath + ".reindex.lock";
        var deadline = _time.GetUtcNow() + ReindexLockWait;
        while (true)
        {
            try
            {
                var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
                return new FileLock(stream);
            }
            catch (IOException) when (_time.GetUtcNow() < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                throw new TimeoutException($"Another re-index holds {path}; wait for it to finish.", ex);
            }
        }
    }

    private sealed class FileLock(FileStream stream) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => stream.DisposeAsync();
    }

    /// <summary>
    /// A registration writes into the generation this instance serves, and only while it is still the active one: after a
    /// switch, a process started before it would add a face that the new generation's collection never gets.
    /// </summary>
    private async Task EnsureServedIsActiveAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        var active = await ReadActiveGenerationAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        if ((active?.Number ?? 0) != ServedNumber)
        {
            throw new DirectoryConflictException(
                $"The face collection was re-indexed (generation {active?.Number ?? 0}) after this process started (generation {ServedNumber}); restart it to register faces.");
        }
    }

    private static async Task<CollectionGeneration?> ReadActiveGenerationAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(connection, transaction,
            "SELECT number, collection_id, model_version, since, previous_generation, retained FROM collection_generation WHERE id = 1;",
            r => new CollectionGeneration(
                r.GetInt32(0),
                r.GetString(1),
                r.IsDBNull(2) ? null : r.GetString(2),
                FromMs(r.GetInt64(3)),
                r.IsDBNull(4) ? null : r.GetInt32(4),
                r.GetString(5).Split('\n', StringSplitOptions.RemoveEmptyEntries)),
            cancellationToken).ConfigureAwait(false);
        return rows.SingleOrDefault();
    }

    private static async Task<ReindexTarget?> ReadTargetAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(connection, transaction,
            "SELECT generation, collection_id, model_version, started_at FROM reindex_target WHERE id = 1;",
            r => new ReindexTarget(r.GetInt32(0), r.GetString(1), r.GetString(2), FromMs(r.GetInt64(3))),
            cancellationToken).ConfigureAwait(false);
        return rows.SingleOrDefault();
    }
}
