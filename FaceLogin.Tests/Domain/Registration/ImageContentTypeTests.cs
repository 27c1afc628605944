using FaceLogin.Domain.Registration;

namespace FaceLogin.Tests.Domain.Registration;

/// <summary>The content type stored with an image is the engine's own judgement of its bytes.</summary>
public sealed class ImageContentTypeTests
{
    [Theory]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, "image/jpeg")]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0 }, "image/png")]
    [InlineData(new byte[] { 0x47, 0x49, 0x46, 0x38 }, "application/octet-stream")]
    [InlineData(new byte[] { 0xFF, 0xD8 }, "application/octet-stream")]
    public void The_stored_content_type_is_the_engine_s_judgement_of_the_bytes(byte[] bytes, string contentType) =>
        Assert.Equal(contentType, ImageContentType.Sniff(bytes));
}
