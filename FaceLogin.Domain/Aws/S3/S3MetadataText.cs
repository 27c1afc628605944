using System.Globalization;
using System.Text;

namespace FaceLogin.Domain.Aws.S3;

/// <summary>
/// Encodes a full name for S3 user metadata. Metadata travels as HTTP headers, which carry only printable US-ASCII,
/// so a name such as "Zoë Ångström" is sent as an RFC 2047 encoded-word (<c>=?UTF-8?B?...?=</c>), the form S3's console
/// and other SDKs also use. Plain ASCII names stay as they are, so objects written by the seed's upload script
/// (<c>fullname: Ann Smith</c>) and by FaceLogin read the same way.
/// </summary>
public static class S3MetadataText
{
    private const string Prefix = "=?UTF-8?B?";
    private const string Suffix = "?=";

    public static string Encode(string value)
    {
        var plain = value.All(c => c is >= ' ' and <= '~') && !value.StartsWith("=?", StringComparison.Ordinal) && value.Trim() == value;
        return plain ? value : Prefix + Convert.ToBase64String(Encoding.UTF8.GetBytes(value)) + Suffix;
    }

    /// <summary>
    /// Decodes an encoded-word written by <see cref="Encode"/> (B or Q encoding, any case); anything else, including a
    /// malformed encoded-word, is returned as is. Never throws: the value comes from whoever uploaded the object, and an
    /// exception here would turn one bad object into a registration failure that Lambda retries until the DLQ.
    /// </summary>
    public static string Decode(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        // At least "=?" and "?=" without overlapping ("=?=" starts and ends with both).
        if (value.Length < 4 || !value.StartsWith("=?", StringComparison.Ordinal) || !value.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return value;
        }

        var parts = value[2..^2].Split('?');
        if (parts.Length != 3 || !string.Equals(parts[0], "UTF-8", StringComparison.OrdinalIgnoreCase))
        {
            return value;
        }

        try
        {
            return parts[1].ToUpperInvariant() switch
            {
                "B" => Encoding.UTF8.GetString(Convert.FromBase64String(parts[2])),
                "Q" => DecodeQ(parts[2]) ?? value,
                _ => value,
            };
        }
        catch (FormatException)
        {
            return value;
        }
    }

    /// <summary>Null when an <c>=XX</c> escape is not two hex digits.</summary>
    private static string? DecodeQ(string text)
    {
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '_')
            {
                bytes.Add((byte)' ');
            }
            else if (text[i] == '=')
            {
                // Exactly two hex digits: no sign, no "0x", no white space (byte.TryParse with AllowHexSpecifier alone).
                if (i + 2 >= text.Length
                    || !byte.TryParse(text.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var escaped))
                {
                    return null;
                }

                bytes.Add(escaped);
                i += 2;
            }
            else
            {
                bytes.Add((byte)text[i]);
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
