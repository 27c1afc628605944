using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FaceLogin.Domain.Ports;

namespace FaceLogin.Domain.Aws.Function;

/// <summary>
/// How the S3 function reads and shows object keys. Keys are chosen by whoever uploads: the seed's own style put the
/// person's name in them (<c>faces/Ann Smith.jpg</c>), and a <c>%0A</c> decodes to a line break that would forge a log
/// line. So a key is shown only when it has the one shape FaceLogin writes (ids only); any other key as a short hash and
/// its length, enough to match it against the bucket's listing, nothing to read a name from.
/// </summary>
public static class S3UploadKeys
{
    /// <summary>True when <paramref name="objectKey"/> is exactly <c>{prefix}{personId:N}/{imageId:N}.jpg</c> in lower-case hex.</summary>
    public static bool TryParse(string? objectKey, string prefix, out FaceImageKey key)
    {
        key = default;
        return objectKey is not null
            && objectKey.StartsWith(prefix, StringComparison.Ordinal)
            && FaceImageKey.TryParse(objectKey[prefix.Length..], out key)
            && string.Equals(key.Value, objectKey[prefix.Length..], StringComparison.Ordinal);
    }

    /// <summary><c>sha256:</c> and the first 12 hex digits of the key's UTF-8 SHA-256, and its length in characters.</summary>
    public static string Redact(string? objectKey) =>
        objectKey is null
            ? "(no key)"
            : $"sha256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(objectKey)))[..12]} ({objectKey.Length.ToString(CultureInfo.InvariantCulture)} chars)";

    /// <summary>Control and line-separator characters as <c>\uXXXX</c>, so a value always stays on one log line.</summary>
    public static string Escape(string value, int maxLength = int.MaxValue)
    {
        var text = value.Length > maxLength ? value[..maxLength] + "…" : value;
        if (!text.Any(IsUnsafe))
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            escaped.Append(IsUnsafe(c) ? $"\\u{(int)c:x4}" : c);
        }

        return escaped.ToString();
    }

    private static bool IsUnsafe(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';
}
