using System.Diagnostics;
using System.Runtime.InteropServices;

namespace FaceLogin.Tests.Support;

/// <summary>
/// A small tmpfs mounted on a test's folder, for what only a real file system shows: one that is full, or read-only even for
/// root. Mounting needs root (or CAP_SYS_ADMIN); a test that gets null skips with the reason. Unmounted on dispose.
/// </summary>
public sealed class TmpfsMount : IDisposable
{
    private readonly string _path;

    private TmpfsMount(string path) => _path = path;

    /// <summary>The effective user is root (file modes do not stop it).</summary>
    public static bool IsRoot => OperatingSystem.IsLinux() && geteuid() == 0;

    /// <param name="options">tmpfs mount options, such as <c>size=4m,mode=0700</c> or <c>ro</c>.</param>
    /// <returns>The mount, or null with why not.</returns>
    public static TmpfsMount? TryMount(string path, string options, out string problem)
    {
        problem = "";
        if (!OperatingSystem.IsLinux())
        {
            problem = "tmpfs is a Linux file system";
            return null;
        }

        var (exitCode, errors) = Run("mount", "-t", "tmpfs", "-o", options, "tmpfs", path);
        if (exitCode != 0)
        {
            problem = $"mounting a tmpfs needs root: {errors.Trim()}";
            return null;
        }

        return new TmpfsMount(path);
    }

    public void Dispose() => Run("umount", "--lazy", _path);

    private static (int ExitCode, string Errors) Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, errors);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, ex.Message);
        }
    }

    [DllImport("libc")]
    private static extern uint geteuid();
}
