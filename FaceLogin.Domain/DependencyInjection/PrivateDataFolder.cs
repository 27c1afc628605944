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
}
