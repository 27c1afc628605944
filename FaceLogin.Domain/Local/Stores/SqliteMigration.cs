using Microsoft.Data.Sqlite;

namespace FaceLogin.Domain.Local.Stores;

/// <summary>One step of the schema: the statements that take it from <c>Version - 1</c> to <see cref="Version"/>.</summary>
internal sealed record SqliteMigration(int Version, string Description, string Sql);

/// <summary>
/// Brings a database to the newest schema version. The version lives in <c>PRAGMA user_version</c> (in the file header, and
/// written in the same transaction as the schema change, so the two never disagree). All pending steps run in one
/// <c>BEGIN IMMEDIATE</c> transaction: a failure leaves the database as it was, and a second process starting at the same
/// time waits for the first and then finds nothing to do.
/// </summary>
internal sealed class SqliteMigrator(IReadOnlyList<SqliteMigration> migrations)
{
    public int LatestVersion { get; } = migrations.Count == 0 ? 0 : migrations[^1].Version;

    /// <summary>Returns the version the database had before.</summary>
    public async Task<int> MigrateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"Schema migrations must be numbered 1, 2, 3…; found {migrations[i].Version} at position {i + 1}.");
            }
        }

        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var current = Convert.ToInt32(await Scalar(connection, transaction, "PRAGMA user_version;", cancellationToken).ConfigureAwait(false));
        if (current > LatestVersion)
        {
            throw new InvalidOperationException(
                $"The database {connection.DataSource} has schema version {current}, newer than this build knows ({LatestVersion}). Use a newer build.");
        }

        foreach (var migration in migrations.Where(m => m.Version > current))
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = migration.Sql;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (LatestVersion > current)
        {
            // PRAGMA takes no parameters; the value is an integer this code owns.
            await Scalar(connection, transaction, $"PRAGMA user_version = {LatestVersion};", cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return current;
    }

    private static async Task<object?> Scalar(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }
}
