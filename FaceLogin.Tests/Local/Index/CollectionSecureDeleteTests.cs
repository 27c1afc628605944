using FaceLogin.Domain.DependencyInjection;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Index;
using FaceLogin.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FaceLogin.Tests.Local.Index;

/// <summary>A deleted face's embedding (a biometric template) must not survive in the bytes of collection.db or its WAL.</summary>
public sealed class CollectionSecureDeleteTests : IDisposable
{
    private readonly TemporaryDataFolder _folder = new();
    private readonly ScriptedFaceAnalyzer _analyzer = new();
    private readonly CancellationToken _cancellation = TestContext.Current.CancellationToken;
    private LocalFaceCollection? _collection;

    public void Dispose()
    {
        _collection?.Dispose();
        _folder.Dispose();
    }

    private LocalFaceCollection Create() => _collection = new LocalFaceCollection(
        _analyzer,
        new SimilarityScale(cosineAtZero: 0.1f, cosineAtHundred: 1.0f),
        Options.Create(new LocalCollectionOptions { CollectionId = "tests" }),
        Options.Create(new FaceLoginOptions { DataPath = _folder.Path }),
        TimeProvider.System,
        NullLogger<LocalFaceCollection>.Instance);

    private byte[] StoredEmbedding(string faceId)
    {
        using var connection = new SqliteConnection($"Data Source={_folder.File("collection.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT embedding FROM faces WHERE face_id = $id";
        command.Parameters.AddWithValue("$id", faceId);
        return (byte[])command.ExecuteScalar()!;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_deleted_face_s_embedding_is_gone_from_the_collection_files(bool closeFirst)
    {
        var collection = Create();
        var deleted = await collection.IndexFaceAsync(
            _analyzer.Image("zebedee", ScriptedFace.Of([0.61f, -0.23f, 0.37f, 0.11f, -0.52f, 0.29f, 0.07f, -0.31f])), "zebedee", _cancellation);
        var kept = await collection.IndexFaceAsync(
            _analyzer.Image("other", ScriptedFace.Of([-0.2f, 0.5f, 0.1f, -0.4f, 0.3f, 0.6f, -0.1f, 0.2f])), "other", _cancellation);
        var embedding = StoredEmbedding(deleted.Indexed!.FaceId);
        Assert.NotEmpty(FileBytes.FilesContaining(_folder.Path, "collection.db", embedding));

        await collection.DeleteFacesAsync([deleted.Indexed.FaceId], _cancellation);
        if (closeFirst)
        {
            collection.Dispose();
            _collection = null;
        }

        Assert.Empty(FileBytes.FilesContaining(_folder.Path, "collection.db", embedding));
        Assert.NotEmpty(FileBytes.FilesContaining(_folder.Path, "collection.db", StoredEmbedding(kept.Indexed!.FaceId)));
    }
}
