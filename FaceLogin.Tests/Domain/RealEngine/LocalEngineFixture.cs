using FaceLogin.Domain.Authentication;
using FaceLogin.Domain.DependencyInjection;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine;
using FaceLogin.Domain.Local.Engine.Models;
using FaceLogin.Domain.Local.Index;
using FaceLogin.Tests.Support;
using Microsoft.Extensions.Options;

namespace FaceLogin.Tests.Domain.RealEngine;

/// <summary>One real local engine (ONNX sessions cost tens of milliseconds each) shared by a test class.</summary>
public sealed class LocalEngineFixture : IDisposable
{
    private readonly Lazy<(LocalFaceEngine? Engine, string? Missing)> engine;

    public LocalEngineFixture()
        : this(ModelCatalogue.Default)
    {
    }

    /// <summary>Over another catalogue (e.g. an empty folder, to test what happens without models).</summary>
    internal LocalEngineFixture(ModelCatalogue catalogue) => engine = new(() =>
    {
        try
        {
            return (new LocalFaceEngine(catalogue, new LocalEngineOptions()), null);
        }
        catch (Exception ex) when (ex is ModelsUnavailableException or FileNotFoundException or DirectoryNotFoundException or InvalidOperationException)
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
            TestEnvironment.SkipOrFail($"The face models are not available ({missing}); build the solution to prepare them.");
        }

        return value!;
    }

    /// <summary>The services over the real local collection (this engine, the default similarity scale) in a fresh temp folder.</summary>
    public DomainHarness Harness(Action<AuthenticationOptions>? authentication = null)
    {
        var analyzer = Require().Analyzer;
        return new DomainHarness(
            h => new LocalFaceCollection(
                analyzer,
                SimilarityScale.Default,
                Options.Create(new LocalCollectionOptions()),
                Options.Create(new FaceLoginOptions { DataPath = h.Folder.Path }),
                h.Time,
                h.Logs.For<LocalFaceCollection>()),
            authentication);
    }

    public void Dispose()
    {
        if (engine.IsValueCreated)
        {
            engine.Value.Engine?.Dispose();
        }
    }
}
