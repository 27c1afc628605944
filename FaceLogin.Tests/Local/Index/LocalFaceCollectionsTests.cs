using FaceLogin.Domain.DependencyInjection;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Index;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FaceLogin.Tests.Local.Index;

/// <summary>The local collections of one file by id (<see cref="LocalFaceCollections"/>), with a scripted analyzer.</summary>
public sealed class LocalFaceCollectionsTests : IDisposable
{
    private static readonly float[] Alice = [1, 0, 0, 0, 0, 0, 0, 0];
    private static readonly float[] Bob = [0, 1, 0, 0, 0, 0, 0, 0];

    private readonly TemporaryDataFolder _folder = new();
    private readonly ScriptedFaceAnalyzer _analyzer = new();
    private readonly LocalFaceCollections _collections;
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public LocalFaceCollectionsTests() => _collections = new LocalFaceCollections(
        _analyzer,
        SimilarityScale.Default,
        Options.Create(new LocalCollectionOptions()),
        Options.Create(new FaceLoginOptions { DataPath = _folder.Path }),
        TimeProvider.System,
        NullLogger<LocalFaceCollection>.Instance);

    /// <summary>
    /// The collection open in this process forgets it when it is deleted: before, the open one went on describing the deleted
    /// collection and failed to index into one made again under the same id (its cached row was gone: a foreign-key failure).
    /// </summary>
    [Fact]
    public async Task A_collection_deleted_while_open_is_gone_and_one_made_again_under_its_id_starts_empty_and_indexes()
    {
        var open = _collections.Open("people");
        await open.IndexFaceAsync(_analyzer.Image("alice", ScriptedFace.Of(Alice)), "alice", _ct);

        Assert.True(await _collections.DeleteCollectionAsync("people", _ct));

        Assert.Null(await _collections.Open("people").DescribeCollectionAsync(_ct));
        Assert.Equal(0, (await _collections.Open("people").EnsureCollectionAsync(_ct)).FaceCount);
        var bob = await _collections.Open("people").IndexFaceAsync(_analyzer.Image("bob", ScriptedFace.Of(Bob)), "bob", _ct);
        Assert.Equal([bob.Indexed!.FaceId], (await _collections.Open("people").ListFacesAsync(null, 10, _ct)).Faces.Select(f => f.FaceId));
        Assert.Equal(1, (await _collections.DescribeAsync("people", _ct))?.FaceCount);
        Assert.True(await _collections.DeleteCollectionAsync("people", _ct));
        Assert.Null(await _collections.DescribeAsync("people", _ct));
    }

    public void Dispose()
    {
        _collections.Dispose();
        _folder.Dispose();
    }
}
