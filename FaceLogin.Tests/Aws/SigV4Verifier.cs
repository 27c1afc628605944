using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace FaceLogin.Tests.Aws;

/// <summary>
/// Recomputes a SigV4 Authorization header from a captured request, written from the spec independently of the
/// production signer (its own canonical request and its own HMAC chain), so a test can check the signature itself.
/// </summary>
public static partial class SigV4Verifier
{
    public sealed record ParsedAuthorization(string AccessKey, string Date, string Region, string Service, string[] SignedHeaders, string Signature);

    public static ParsedAuthorization Parse(string authorization)
    {
        var match = AuthorizationPattern().Match(authorization);
        Assert.True(match.Success, $"Malformed Authorization header: {authorization}");
        return new ParsedAuthorization(
            match.Groups["key"].Value,
            match.Groups["date"].Value,
            match.Groups["region"].Value,
            match.Groups["service"].Value,
            match.Groups["headers"].Value.Split(';'),
            match.Groups["sig"].Value);
    }

    public static string ExpectedSignature(CapturedRequest request, string secretKey, string region, string service, string[] signedHeaders)
    {
        var amzDate = request.Headers["x-amz-date"];
        var date = amzDate[..8];
        var canonicalHeaders = new StringBuilder();
        foreach (var name in signedHeaders)
        {
            var value = name == "host" ? request.Uri.Authority.Replace(":443", "", StringComparison.Ordinal) : request.Headers[name];
            canonicalHeaders.Append(name).Append(':').Append(value.Trim()).Append('\n');
        }

        var canonicalRequest = string.Join('\n',
            request.Method,
            request.Uri.AbsolutePath,
            request.Uri.Query.TrimStart('?'),
            canonicalHeaders.ToString(),
            string.Join(';', signedHeaders),
            Convert.ToHexStringLower(SHA256.HashData(request.Body)));
        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        return Convert.ToHexStringLower(Hmac(key, stringToSign));
    }

    public static DateTime ParseAmzDate(string value) =>
        DateTime.ParseExact(value, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    [GeneratedRegex(@"^AWS4-HMAC-SHA256 Credential=(?<key>[^/]+)/(?<date>\d{8})/(?<region>[a-z0-9-]+)/(?<service>[a-z0-9-]+)/aws4_request, SignedHeaders=(?<headers>[a-z0-9;-]+), Signature=(?<sig>[0-9a-f]{64})$")]
    private static partial Regex AuthorizationPattern();
}
