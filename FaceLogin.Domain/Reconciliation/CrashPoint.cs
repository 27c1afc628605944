using System.Diagnostics;

namespace FaceLogin.Domain.Reconciliation;

/// <summary>
/// Named points between the writes of a registration or a deletion where the crash tests kill the process, as <c>kill -9</c>
/// would: when the environment variable <see cref="VariableName"/> names the point reached, the process kills itself there
/// (SIGKILL: no finally blocks, no undo, no flushing), so a test can prove what a real crash at exactly that instant leaves.
/// </summary>
/// <remarks>
/// Compiled into every build on purpose: the tests drive the real app and CLI, built as they ship. It is inert unless the
/// variable is set (read once; an unset variable costs one string comparison per point), and anybody who can set a
/// process's environment can kill the process anyway, so it gives nobody a power they did not have.
/// </remarks>
public static class CrashPoint
{
    public const string VariableName = "FACELOGIN_FAULT_POINT";

    private static readonly string? Armed = Environment.GetEnvironmentVariable(VariableName) is { Length: > 0 } name ? name : null;

    public static void Reach(string point)
    {
        if (Armed is not null && string.Equals(Armed, point, StringComparison.Ordinal))
        {
            using var self = Process.GetCurrentProcess();
            self.Kill();
        }
    }
}
