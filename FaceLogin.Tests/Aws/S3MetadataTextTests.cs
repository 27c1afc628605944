using FaceLogin.Domain.Aws.S3;

namespace FaceLogin.Tests.Aws;

/// <summary>The <c>fullname</c> metadata codec. Decoding reads whatever an uploader wrote, so it must never throw.</summary>
public sealed class S3MetadataTextTests
{
    [Theory]
    [InlineData("Ann Smith")]
    [InlineData("Zoë Ångström")]
    [InlineData("  padded  ")]
    [InlineData("=?looks encoded?=")]
    [InlineData("O'Brien, Seán")]
    public void Encoded_names_decode_to_themselves(string name) =>
        Assert.Equal(name, S3MetadataText.Decode(S3MetadataText.Encode(name)));

    [Theory]
    [InlineData("=?UTF-8?B?Wm/DqyDDhW5nc3Ryw7Zt?=", "Zoë Ångström")]
    [InlineData("=?utf-8?q?Zo=C3=AB_=C3=85ngstr=C3=B6m?=", "Zoë Ångström")]
    [InlineData("plain", "plain")]
    public void B_and_Q_encoded_words_are_decoded(string stored, string expected) =>
        Assert.Equal(expected, S3MetadataText.Decode(stored));

    /// <summary>The review's probe (S4): "=-1" threw ArgumentException from Convert.ToByte, "=?=" an out-of-range slice.</summary>
    [Theory]
    [InlineData("=?UTF-8?Q?=0x?=")]
    [InlineData("=?UTF-8?Q?=-1?=")]
    [InlineData("=?UTF-8?Q?=+1?=")]
    [InlineData("=?UTF-8?Q?= 1?=")]
    [InlineData("=?UTF-8?Q?abc=4?=")]
    [InlineData("=?UTF-8?Q?abc=?=")]
    [InlineData("=?UTF-8?B?not base64!?=")]
    [InlineData("=?=")]
    [InlineData("=??=")]
    [InlineData("=?UTF-8?X?abc?=")]
    [InlineData("=?UTF-8??=")]
    public void Malformed_encoded_words_come_back_as_they_are(string stored) =>
        Assert.Equal(stored, S3MetadataText.Decode(stored));
}
