using System.Globalization;

namespace FaceLogin.Domain.Local.Engine.Evaluation;

/// <summary>
/// A folder laid out like lfw-dev: <c>&lt;Identity&gt;/&lt;file&gt;.jpg</c>, optional <c>pairs.tsv</c> (img1, img2, same),
/// <c>identification.tsv</c> (path, identity, role with a header) and, for a camera-like variant, <c>face-centres.tsv</c>.
/// </summary>
public sealed class FaceDataset
{
    private FaceDataset(string root, IReadOnlyList<string> images, IReadOnlyDictionary<string, (float X, float Y)> faceCentres)
    {
        Root = root;
        Images = images;
        FaceCentres = faceCentres;
    }

    public string Root { get; }

    /// <summary>Relative paths with forward slashes, in ordinal order.</summary>
    public IReadOnlyList<string> Images { get; }

    /// <summary>Where the labelled face is, as fractions of the image; empty for an ordinary dataset (the image centre).</summary>
    public IReadOnlyDictionary<string, (float X, float Y)> FaceCentres { get; }

    public static FaceDataset Open(string root)
    {
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"The dataset folder {root} does not exist.");
        }

        var images = Directory.EnumerateFiles(root, "*.*", SearchOption.AllDirectories)
            .Where(p => p.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            .Select(p => Path.GetRelativePath(root, p).Replace('\\', '/'))
            .Where(p => p.Contains('/', StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        var centres = new Dictionary<string, (float, float)>(StringComparer.Ordinal);
        var centresFile = Path.Combine(root, CameraVariantGenerator.FaceCentresFile);
        if (File.Exists(centresFile))
        {
            foreach (var fields in ReadTsv(centresFile).Skip(1))
            {
                centres[fields[0]] = (Parse(fields[1]), Parse(fields[2]));
            }
        }

        return new FaceDataset(root, images, centres);
    }

    public static string IdentityOf(string relativePath) => relativePath[..relativePath.IndexOf('/', StringComparison.Ordinal)];

    public static IReadOnlyList<(string First, string Second, bool Same)> ReadPairs(string file) =>
        [.. ReadTsv(file).Where(f => f.Length >= 3).Select(f => (f[0], f[1], f[2].Trim() == "1"))];

    /// <summary>Rows of identification.tsv (header skipped): path, identity, and whether the image is the identity's gallery image.</summary>
    public static IReadOnlyList<(string Path, string Identity, bool IsGallery)> ReadIdentification(string file) =>
        [.. ReadTsv(file).Skip(1).Where(f => f.Length >= 3).Select(f => (f[0], f[1], f[2].Trim() == "gallery"))];

    private static IEnumerable<string[]> ReadTsv(string file) =>
        File.ReadLines(file).Where(l => l.Length > 0).Select(l => l.Split('\t'));

    private static float Parse(string text) => float.Parse(text, CultureInfo.InvariantCulture);
}
