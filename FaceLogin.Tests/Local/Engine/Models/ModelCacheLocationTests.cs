using System.Security.Cryptography;
using FaceLogin.Domain.Local.Engine.Models;

namespace FaceLogin.Tests.Local.Engine.Models;

public sealed class ModelCacheLocationTests
{
    [Fact]
    public void Explicit_root_wins_over_XDG_and_home()
    {
        var root = ModelCacheLocation.Root(name => name switch
        {
            "FACELOGIN_MODEL_CACHE" => "/tmp/explicit",
            "XDG_CACHE_HOME" => "/tmp/xdg",
            _ => null,
        });

        Assert.Equal("/tmp/explicit", root);
    }

    [Fact]
    public void XDG_cache_home_is_respected()
    {
        Assert.Equal(Path.Combine("/tmp/xdg", "facelogin", "models"), ModelCacheLocation.Root(name => name == "XDG_CACHE_HOME" ? "/tmp/xdg" : null));
    }

    [Fact]
    public void Without_variables_the_cache_is_under_the_home_folder()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        Assert.Equal(Path.Combine(home, ".cache", "facelogin", "models"), ModelCacheLocation.Root(_ => null));
    }

    [Fact]
    public void Verify_names_each_file_that_is_missing_or_altered()
    {
        var folder = Directory.CreateTempSubdirectory("facelogin-pins-");
        try
        {
            var good = "good weights"u8.ToArray();
            var goodHash = Convert.ToHexStringLower(SHA256.HashData(good));
            File.WriteAllBytes(Path.Combine(folder.FullName, "a.bin"), good);
            File.WriteAllBytes(Path.Combine(folder.FullName, "b.bin"), "tampered"u8.ToArray());
            var pins = ModelPins.Parse(System.Text.Encoding.UTF8.GetBytes(
                $"# a comment\n{goodHash}  a.bin\n{goodHash}  b.bin\n{goodHash}  c.bin\n"));

            var error = Assert.Throws<InvalidDataException>(() => pins.Verify(folder.FullName));

            Assert.DoesNotContain("a.bin", error.Message, StringComparison.Ordinal);
            Assert.Contains("b.bin: sha256", error.Message, StringComparison.Ordinal);
            Assert.Contains("c.bin: missing", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
