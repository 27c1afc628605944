using System.Security.Cryptography;
using System.Text;

namespace FaceLogin.Domain.Local.Engine.Models;

/// <summary>
/// What determines the converted ONNX files, as the build recorded it (ModelFingerprint.targets): the sha256 of
/// models.pins, of every importer source, of the recipes, and the protobuf package versions. Its hash names the cache
/// folder, so a change to a pin or to the converter gives a fresh cache without anyone bumping anything.
/// </summary>
public sealed class ModelFingerprint
{
    private const string ResourceName = "FaceLogin.Models.fingerprint";

    private ModelFingerprint(byte[] content)
    {
        Text = Encoding.UTF8.GetString(content);
        CacheKey = Convert.ToHexStringLower(SHA256.HashData(content))[..16];
    }

    /// <summary>One line per input: <c>package NAME VERSION</c>, then <c>SHA256  PATH</c> (relative to FaceLogin.Domain/).</summary>
    public string Text { get; }

    /// <summary>The first 16 hex digits of sha256(fingerprint): the cache folder's name. MSBuild computes the same (FaceLoginModelCacheKey).</summary>
    public string CacheKey { get; }

    /// <summary>The fingerprint of the sources this assembly was built from.</summary>
    public static ModelFingerprint Embedded { get; } = new(ModelResources.Read(ResourceName));
}
