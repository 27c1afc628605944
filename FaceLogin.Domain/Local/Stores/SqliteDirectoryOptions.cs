using System.ComponentModel.DataAnnotations;

namespace FaceLogin.Domain.Local.Stores;

/// <summary>The <c>FaceLogin:Sqlite</c> section.</summary>
public sealed class SqliteDirectoryOptions
{
    public const string SectionName = "FaceLogin:Sqlite";

    /// <summary>File name of the database under the data folder.</summary>
    public const string DatabaseFileName = "facelogin.db";

    /// <summary>
    /// Login attempts older than this are deleted when the directory opens and then at most once an hour as attempts are
    /// recorded. They hold client addresses (personal data) and serve lock-out (minutes) and the admin's audit (weeks), so
    /// they are not kept for ever.
    /// </summary>
    [Range(1, 3650)]
    public int LoginAttemptRetentionDays { get; set; } = 90;

    /// <summary>
    /// How long a caller waits for a person's lease held elsewhere (another registration or deletion of that person, or a
    /// reconciliation, in any process on the data folder) before giving up with a <see cref="TimeoutException"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan LeaseWait { get; set; } = TimeSpan.FromSeconds(60);
}
