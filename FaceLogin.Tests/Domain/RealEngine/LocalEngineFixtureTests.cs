using FaceLogin.Domain.Local.Engine.Models;
using FaceLogin.Tests.Support;

namespace FaceLogin.Tests.Domain.RealEngine;

/// <summary>Without models, the real-engine tests must skip with the reason (fail in CI), not error with the engine's exception.</summary>
public sealed class LocalEngineFixtureTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Missing_models_skip_or_fail_the_test_with_the_reason_instead_of_throwing_the_engine_s_exception()
    {
        TestEnvironment.RequireDataset();
        using var fixture = new LocalEngineFixture(new ModelCatalogue(folder.Path));

        var thrown = Record.Exception(() => fixture.Require());

        Assert.NotNull(thrown);
        Assert.IsNotType<ModelsUnavailableException>(thrown);
        // xunit's own skip or failure: which one depends on whether this run is CI.
        Assert.StartsWith("Xunit", thrown.GetType().FullName, StringComparison.Ordinal);
        Assert.Contains("The face models are not available", thrown.Message, StringComparison.Ordinal);
        Assert.Contains(folder.Path, thrown.Message, StringComparison.Ordinal);
    }
}
