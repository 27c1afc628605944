using System.Globalization;
using Microsoft.Data.Sqlite;

namespace FaceLogin.Domain.Local.Index;

/// <summary>
/// One connection to the collection file, kept open to ask SQLite whether any other connection (of this process or another)
/// has committed since the last question. Not thread-safe: the caller serialises.
/// </summary>
public sealed class FaceCollectionWatch : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _dataVersion;

    internal FaceCollectionWatch(SqliteConnection connection)
    {
        _connection = connection;
        _dataVersion = connection.CreateCommand();
        // Per connection: "different if changes were committed to the database by any other connection in the interim"
        // (sqlite.org/pragma.html#pragma_data_version), across processes too; this connection never writes. Kept prepared.
        _dataVersion.CommandText = "PRAGMA data_version";
    }

    public long DataVersion() => Convert.ToInt64(_dataVersion.ExecuteScalar(), CultureInfo.InvariantCulture);

    public void Dispose()
    {
        _dataVersion.Dispose();
        _connection.Dispose();
    }
}
