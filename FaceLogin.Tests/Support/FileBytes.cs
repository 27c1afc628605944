namespace FaceLogin.Tests.Support;

/// <summary>Raw byte searches through files on disk: what is left of deleted data in a database file, its WAL or journal.</summary>
public static class FileBytes
{
    /// <summary>The files in <paramref name="folder"/> whose name starts with <paramref name="fileNamePrefix"/> (e.g. "facelogin.db" finds -wal and -shm too) that contain <paramref name="needle"/>.</summary>
    public static string[] FilesContaining(string folder, string fileNamePrefix, ReadOnlySpan<byte> needle)
    {
        var found = new List<string>();
        foreach (var file in Directory.EnumerateFiles(folder, fileNamePrefix + "*"))
        {
            // Shared read: SQLite may hold the files open.
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            if (copy.GetBuffer().AsSpan(0, (int)copy.Length).IndexOf(needle) >= 0)
            {
                found.Add(Path.GetFileName(file));
            }
        }

        return [.. found];
    }
}
