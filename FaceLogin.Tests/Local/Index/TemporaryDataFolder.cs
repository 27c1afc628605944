namespace FaceLogin.Tests.Local.Index;

/// <summary>A real folder under the system temp path for SQLite files, deleted with everything in it afterwards.</summary>
internal sealed class TemporaryDataFolder : IDisposable
{
    public TemporaryDataFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "facelogin-index-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Path, recursive: true);
    }
}
