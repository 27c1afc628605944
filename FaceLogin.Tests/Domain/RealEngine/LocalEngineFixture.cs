using FaceLogin.Domain.Local.Engine;
using FaceLogin.Domain.Local.Engine.Models;
using FaceLogin.Tests.Support;

namespace FaceLogin.Tests.Domain.RealEngine;

/// <summary>One real local engine (ONNX sessions cost tens of milliseconds each) shared by a test class.</summary>
public sealed class LocalEngineFixture : IDisposable
{
    private readonly Lazy<(LocalFaceEngine? Engine, string? Missing)> engine = new(() =>
    {
        try
        {
            return (new LocalFaceEngine(ModelCatalogue.Default, new LocalEngineOptions()), null);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or InvalidOperationException)
        {
            return (null, ex.Message);
        }
    });

    /// <summary>The engine; skips the test (fails it in CI) when the models are not prepared, or the dataset is missing.</summary>
    public LocalFaceEngine Require()
    {
        TestEnvironment.RequireDataset();
        var (value, missing) = engine.Value;
        if (value is null)
        {
            var reason = $"The face models are not available ({missing}); build the solution to prepare them.";
            if (TestEnvironment.IsCi)
            {
                Assert.Fail(reason);
            }

            Assert.Skip(reason);
        }

        return value!;
    }

    public void Dispose()
    {
        if (engine.IsValueCreated)
        {
            engine.Value.Engine?.Dispose();
        }
    }
}
