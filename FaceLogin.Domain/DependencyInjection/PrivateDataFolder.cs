namespace FaceLogin.Domain.DependencyInjection;

/// <summary>
/// The data folder holds people's photos, their face templates and the keys that sign the app's cookies: whoever can read it
/// can impersonate anyone. So on Unix the app creates it for its own user only (0700), whatever the umask; files inside keep
/// their own modes, which no longer matter once nobody else can enter the folder.
/// </summary>
/// <remarks>
/// An existing folder is never changed: <c>FaceLogin:DataPath</c> may name a folder shared with other things (at worst
/// <c>/tmp</c>), and taking rights away there would break them. The caller warns instead.
/// </remarks>
public static class PrivateDataFolder
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates the folder, owner-only, when it does not exist.</summary>
    /// <returns>False when the folder exists and other users may enter it (group or other rights on Unix).</returns>
    public static bool Ensure(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (OperatingSystem.IsWindows())
        {
            // Windows folders inherit their parent's ACL (a user profile is private by default); nothing portable to check.
            Directory.CreateDirectory(path);
            return true;
        }

        if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path, OwnerOnly);
            return true;
        }

        return (File.GetUnixFileMode(path) & ~OwnerOnly) == 0;
    }

    /// <summary>
    /// Writes and deletes a small file in the folder, as every store will: a folder this user may not write (mode 0500, another
    /// owner) or on a read-only file system shows here, before the stores fail on it with their own, less helpful errors.
    /// </summary>
    /// <returns>Null when the folder takes a file; otherwise why not (the system's own words).</returns>
    public static string? WhyNotWritable(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var probe = Path.Combine(path, ".write-check-" + Guid.NewGuid().ToString("N"));
        try
        {
            using (var file = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
                file.WriteByte(0);
                file.Flush(flushToDisk: false);
            }

            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ex.Message;
        }
    }
}
