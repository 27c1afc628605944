using Microsoft.Data.Sqlite;

namespace FaceLogin.Domain.Local.Index;

/// <summary>One step of a SQLite schema: the SQL that takes the file from <c>Version − 1</c> to <see cref="Version"/>.</summary>
public sealed record SqliteMigration(int Version, string Sql);

/// <summary>
/// Brings a SQLite file to the newest schema by applying ordered migrations, recording progress in <c>PRAGMA user_version</c>.
/// Each step runs in its own write transaction that re-reads the version first, so two processes opening the same file
/// cannot apply a step twice; running it again on an up-to-date file changes nothing.
/// </summary>
public static class SqliteSchemaMigrator
{
    /// <returns>The schema version the file has afterwards.</returns>
    /// <exception cref="InvalidOperationException">The file was written by a newer schema than this build knows.</exception>
    public static int Migrate(SqliteConnection connection, IReadOnlyList<SqliteMigration> migrations)
    {
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new ArgumentException("Migrations must be numbered 1, 2, 3, … in order.", nameof(migrations));
            }
        }

        var latest = migrations.Count;
        var current = UserVersion(connection, transaction: null);
        if (current > latest)
        {
            throw new InvalidOperationException(
                $"The database {connection.DataSource} has schema version {current}, newer than this build's {latest}: run a newer FaceLogin.");
        }

        foreach (var migration in migrations.Where(m => m.Version > current))
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            if (UserVersion(connection, transaction) >= migration.Version)
            {
                continue;
            }

            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = migration.Sql;
                command.ExecuteNonQuery();
            }

            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                // PRAGMA takes no parameters; the value is an int from code, not input.
                command.CommandText = $"PRAGMA user_version = {migration.Version}";
                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        return UserVersion(connection, transaction: null);
    }

    public static int UserVersion(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
