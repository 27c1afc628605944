using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Reindexing;
using FaceLogin.Tests.Local;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;

namespace FaceLogin.Tests.Domain.Reindexing;

/// <summary>The re-index's decisions that need no engine (the real runs: ReindexLocalTests, ReindexAwsTests).</summary>
public sealed class CollectionReindexerTests : IDisposable
{
    private readonly TempSqliteDirectories _directories = new();

    [Fact]
    public async Task With_a_service_that_chooses_the_model_and_no_collection_yet_there_is_nothing_to_move()
    {
        var directory = await _directories.CreateAsync(TestContext.Current.CancellationToken);
        var collections = Substitute.For<IFaceCollectionFactory>();
        collections.BaseCollectionId.Returns("facelogin");
        collections.ConfiguredModelVersion.Returns((string?)null);
        collections.DescribeAsync("facelogin", Arg.Any<CancellationToken>()).Returns((CollectionDescription?)null);
        var reindexer = new CollectionReindexer((ICollectionGenerations)directory, collections, Substitute.For<IFaceImageStore>(), TimeProvider.System, NullLogger<CollectionReindexer>.Instance);

        var report = await reindexer.RunAsync(new ReindexOptions(), progress: null, TestContext.Current.CancellationToken);

        Assert.Equal(ReindexOutcome.UpToDate, report.Outcome);
        collections.DidNotReceive().Open(Arg.Any<string>());
        Assert.Null(await ((ICollectionGenerations)directory).GetReindexTargetAsync(TestContext.Current.CancellationToken));
    }

    public void Dispose() => _directories.Dispose();
}
