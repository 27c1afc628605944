namespace FaceLogin.Tests.Support;

/// <summary>A temporary folder of photos laid out for <c>import</c> (<c>Full_Name/file</c>), deleted at the end.</summary>
public sealed class ImportFolder : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("facelogin-import-").FullName;

    public string Add(string folder, string file, byte[] bytes)
    {
        var dir = Path.Combine(Root, folder);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, file);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
