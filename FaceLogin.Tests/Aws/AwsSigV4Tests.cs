using System.Globalization;
using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;
using FaceLogin.Domain.Aws.Rekognition;

namespace FaceLogin.Tests.Aws;

/// <summary>The SigV4 canonical request and signature against AWS's published Signature Version 4 test suite.</summary>
public sealed class AwsSigV4Tests
{
    private static readonly ImmutableCredentials SuiteCredentials = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);
    private static readonly DateTime SuiteTime = new(2015, 8, 30, 12, 36, 0, DateTimeKind.Utc);
    private const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    [Theory]
    // get-vanilla, post-vanilla and get-vanilla-query-order-key-case from AWS's SigV4 test suite.
    [InlineData("GET", "", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")]
    [InlineData("POST", "", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")]
    [InlineData("GET", "Param2=value2&Param1=value1", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")]
    public void Suite_vectors_produce_the_published_signatures(string method, string query, string expectedSignature)
    {
        var (canonical, signedHeaders) = AwsSigV4.CanonicalRequest(
            method, "/", query,
            [new("Host", "example.amazonaws.com"), new("X-Amz-Date", "20150830T123600Z")],
            EmptySha256);

        var result = AWS4Signer.ComputeSignature(SuiteCredentials, "us-east-1", SuiteTime, "service", signedHeaders, canonical);

        Assert.Equal("host;x-amz-date", signedHeaders);
        Assert.Equal(expectedSignature, result.Signature);
        Assert.Equal(
            $"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature={expectedSignature}",
            result.ForAuthorizationHeader);
    }

    [Fact]
    public void The_get_vanilla_canonical_request_matches_the_suite_text()
    {
        var (canonical, _) = AwsSigV4.CanonicalRequest(
            "GET", "/", "", [new("Host", "example.amazonaws.com"), new("X-Amz-Date", "20150830T123600Z")], EmptySha256);

        Assert.Equal(
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + EmptySha256,
            canonical);
        Assert.Equal("bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63", AwsSigV4.HexSha256(Encoding.UTF8.GetBytes(canonical)));
    }

    [Fact]
    public void Header_values_are_trimmed_and_inner_spaces_collapsed()
    {
        // get-header-value-trim / multiline style: "My-Header1:    value1" and inner runs of spaces.
        var (canonical, signedHeaders) = AwsSigV4.CanonicalRequest(
            "GET", "/", "",
            [new("Host", "example.amazonaws.com"), new("My-Header1", "  value1   with  spaces "), new("X-Amz-Date", "20150830T123600Z")],
            EmptySha256);

        Assert.Contains("my-header1:value1 with spaces\n", canonical, StringComparison.Ordinal);
        Assert.Equal("host;my-header1;x-amz-date", signedHeaders);
    }

    [Fact]
    public void A_signed_request_carries_date_token_and_a_verifiable_signature()
    {
        var credentials = new ImmutableCredentials("ASIATESTKEY", "secret/key+value", "session-token-123");
        var body = Encoding.UTF8.GetBytes("""{"CollectionId":"c"}""");
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://rekognition.eu-west-1.amazonaws.com/") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "RekognitionService.DescribeCollection");
        var at = new DateTime(2026, 11, 27, 8, 30, 15, DateTimeKind.Utc);

        AwsSigV4.Sign(request, body, credentials, "eu-west-1", "rekognition", at);

        var captured = new CapturedRequest("POST", request.RequestUri!,
            request.Headers.Concat(request.Content.Headers).ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value)), body);
        var auth = SigV4Verifier.Parse(captured.Headers["authorization"]);
        Assert.Equal("20261127T083015Z", captured.Headers["x-amz-date"]);
        Assert.Equal("session-token-123", captured.Headers["x-amz-security-token"]);
        Assert.Equal(["content-type", "host", "x-amz-date", "x-amz-security-token", "x-amz-target"], auth.SignedHeaders);
        Assert.Equal(("ASIATESTKEY", "20261127", "eu-west-1", "rekognition"), (auth.AccessKey, auth.Date, auth.Region, auth.Service));
        Assert.Equal(SigV4Verifier.ExpectedSignature(captured, "secret/key+value", "eu-west-1", "rekognition", auth.SignedHeaders), auth.Signature);
        Assert.Equal(at, SigV4Verifier.ParseAmzDate(captured.Headers["x-amz-date"]));
        Assert.Equal("20261127", at.ToString("yyyyMMdd", CultureInfo.InvariantCulture));
    }
}
