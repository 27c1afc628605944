using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;

namespace FaceLogin.Domain.Aws.Rekognition;

/// <summary>
/// Signature Version 4 for a JSON-protocol POST. The canonical request is built here (AWSSDK.Core 4.1.0 keeps its
/// canonicaliser internal); the signing key, string to sign and Authorization header come from the SDK's public
/// <see cref="AWS4Signer.ComputeSignature(ImmutableCredentials, string, DateTime, string, string, string)"/>, so the
/// cryptography is the SDK's. Tested against AWS's published SigV4 test vectors.
/// </summary>
public static class AwsSigV4
{
    public const string DateHeader = "X-Amz-Date";
    public const string SecurityTokenHeader = "X-Amz-Security-Token";

    /// <summary>Adds X-Amz-Date, X-Amz-Security-Token (temporary credentials) and Authorization to <paramref name="request"/>.</summary>
    public static void Sign(HttpRequestMessage request, byte[] body, ImmutableCredentials credentials, string region, string service, DateTime signedAtUtc)
    {
        var uri = request.RequestUri ?? throw new ArgumentException("The request has no URI.", nameof(request));
        var amzDate = signedAtUtc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        request.Headers.Remove(DateHeader);
        request.Headers.TryAddWithoutValidation(DateHeader, amzDate);
        if (credentials.UseToken)
        {
            request.Headers.Remove(SecurityTokenHeader);
            request.Headers.TryAddWithoutValidation(SecurityTokenHeader, credentials.Token);
        }

        // Sign exactly the headers that will be sent: Host as HttpClient writes it, then every X-Amz-* and Content-Type.
        var headers = new List<KeyValuePair<string, string>> { new("host", uri.IsDefaultPort ? uri.Host : uri.Authority) };
        foreach (var header in request.Headers.Where(h => h.Key.StartsWith("X-Amz-", StringComparison.OrdinalIgnoreCase)))
        {
            headers.Add(new(header.Key, string.Join(",", header.Value)));
        }

        if (request.Content?.Headers.ContentType is { } contentType)
        {
            headers.Add(new("content-type", contentType.ToString()));
        }

        var (canonicalRequest, signedHeaders) = CanonicalRequest(request.Method.Method, uri.AbsolutePath, uri.Query.TrimStart('?'), headers, HexSha256(body));
        var result = AWS4Signer.ComputeSignature(credentials, region, signedAtUtc, service, signedHeaders, canonicalRequest);
        request.Headers.TryAddWithoutValidation("Authorization", result.ForAuthorizationHeader);
    }

    /// <summary>
    /// The canonical request of SigV4: method, URI-encoded path, sorted query, lower-cased sorted headers with trimmed
    /// values (inner runs of spaces collapsed), the signed header names, and the payload's SHA-256 in hex.
    /// </summary>
    public static (string CanonicalRequest, string SignedHeaders) CanonicalRequest(
        string method, string path, string query, IEnumerable<KeyValuePair<string, string>> headers, string payloadHashHex)
    {
        var canonicalHeaders = headers
            .GroupBy(h => h.Key.ToLowerInvariant(), StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Value: string.Join(",", g.Select(h => CollapseSpaces(h.Value.Trim())))))
            .OrderBy(h => h.Name, StringComparer.Ordinal)
            .ToList();
        var signedHeaders = string.Join(";", canonicalHeaders.Select(h => h.Name));
        var builder = new StringBuilder()
            .Append(method).Append('\n')
            .Append(CanonicalPath(path)).Append('\n')
            .Append(CanonicalQuery(query)).Append('\n');
        foreach (var (name, value) in canonicalHeaders)
        {
            builder.Append(name).Append(':').Append(value).Append('\n');
        }

        builder.Append('\n').Append(signedHeaders).Append('\n').Append(payloadHashHex);
        return (builder.ToString(), signedHeaders);
    }

    public static string HexSha256(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    private static string CanonicalPath(string path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "/";
        }

        // Non-S3 services encode each segment once more on top of the path as sent (RFC 3986 unreserved kept).
        return string.Join('/', path.Split('/').Select(segment => Uri.EscapeDataString(Uri.UnescapeDataString(segment))));
    }

    private static string CanonicalQuery(string query)
    {
        if (string.IsNullOrEmpty(query))
        {
            return string.Empty;
        }

        return string.Join('&', query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
                var value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..]);
                return (Name: Uri.EscapeDataString(name), Value: Uri.EscapeDataString(value));
            })
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value));
    }

    private static string CollapseSpaces(string value)
    {
        if (!value.Contains("  ", StringComparison.Ordinal))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c != ' ' || builder.Length == 0 || builder[^1] != ' ')
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
