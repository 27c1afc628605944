using Microsoft.Data.Sqlite;

namespace FaceLogin.Domain.Ports;

/// <summary>
/// Recognises "the storage is full" among the failures a store can throw, so that the doors answer it as what it is — the
/// service is unavailable until an operator frees space, nothing was stored — instead of a generic error (a 500 page at
/// sign-in). Nothing needs restarting: the next request after space is freed succeeds.
/// </summary>
/// <remarks>
/// The local stores are the ones that fill: the SQLite directory and collection answer <c>SQLITE_FULL</c> (error 13), the file
/// image store an <see cref="IOException"/> whose HResult is the system's "no space" (ENOSPC 28 or EDQUOT 122 on Linux, disk
/// full on Windows). S3 and DynamoDB do not fill up; their throttling and outages are other failures.
/// </remarks>
public static class StorageFull
{
    public const string Message =
        "We can't save anything right now because the server's storage is full. Nothing was changed. Please try again later.";

    private const int SqliteFull = 13;
    private const int NoSpaceLeftOnDevice = 28;
    private const int DiskQuotaExceeded = 122;
    private const int WindowsDiskFull = unchecked((int)0x80070070);
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027);

    /// <summary>True when the exception, or one it wraps, says the storage is full.</summary>
    public static bool IsCause(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case SqliteException { SqliteErrorCode: SqliteFull }:
                case IOException { HResult: NoSpaceLeftOnDevice or DiskQuotaExceeded or WindowsDiskFull or WindowsHandleDiskFull }:
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Any(IsCause):
                    return true;
            }
        }

        return false;
    }
}
