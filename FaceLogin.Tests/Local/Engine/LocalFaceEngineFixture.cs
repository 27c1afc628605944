using FaceLogin.Domain.Local.Engine;
using FaceLogin.Domain.Local.Engine.Models;
using FaceLogin.Tests.Support;

namespace FaceLogin.Tests.Local.Engine;

/// <summary>One engine (its ONNX sessions load once) shared by every test of the collection.</summary>
public sealed class LocalFaceEngineFixture : IDisposable
{
    private readonly Lazy<LocalFaceEngine> _engine = new(() => new LocalFaceEngine(ModelCatalogue.Default, new LocalEngineOptions()));

    public LocalFaceEngine Engine => _engine.Value;

    /// <summary>A photo of lfw-dev by person and number; skips (fails in CI) when the dataset is absent.</summary>
    public static byte[] Photo(string person, int number)
    {
        var path = Path.Combine(TestEnvironment.RequireDataset(), person, $"{person}_{number:0000}.jpg");
        Assert.True(File.Exists(path), $"{path} is missing from the dataset");
        return File.ReadAllBytes(path);
    }

    public void Dispose()
    {
        if (_engine.IsValueCreated)
        {
            _engine.Value.Dispose();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class LocalFaceEngineCollection : ICollectionFixture<LocalFaceEngineFixture>
{
    public const string Name = "Local face engine";
}
