using FaceLogin.Domain.Ports;

namespace FaceLogin.Tests.Domain;

public sealed class FaceImageKeyTests
{
    [Fact]
    public void Key_is_built_from_ids_and_parses_back()
    {
        var person = Guid.NewGuid();
        var image = Guid.NewGuid();

        var key = FaceImageKey.For(person, image);

        Assert.Equal($"{person:N}/{image:N}.jpg", key.Value);
        Assert.True(FaceImageKey.TryParse(key.Value, out var parsed));
        Assert.Equal(key, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("../../etc/passwd")]
    [InlineData("00000000000000000000000000000000/00000000000000000000000000000000.jpg")]
    [InlineData("0123456789abcdef0123456789abcdef\\0123456789abcdef0123456789abcdef.jpg")]
    [InlineData("0123456789abcdef0123456789abcdef/0123456789abcdef0123456789abcdef.png")]
    public void Anything_but_two_ids_is_refused(string? value)
    {
        Assert.False(FaceImageKey.TryParse(value, out _));
    }
}
