using System.Net;
using Amazon.Runtime;
using FaceLogin.Domain.Aws;
using FaceLogin.Domain.Aws.Rekognition;
using FaceLogin.Domain.Faces;
using FaceLogin.Tests.Local.Engine;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace FaceLogin.Tests.Aws;

/// <summary>
/// The Rekognition emulator through the Rekognition adapter (and its client, for what the adapter never sends): collections
/// with their own model labels, real faces indexed, searched, listed and deleted, and errors as Rekognition words them.
/// </summary>
public sealed class RekognitionEmulatorTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly RekognitionEmulator _emulator = new();

    private RekognitionFaceCollections Collections() =>
        new(_emulator.Client, Options.Create(new AwsOptions { CollectionId = "people" }));

    [Fact]
    public async Task Collections_keep_the_model_they_were_created_with_and_answer_Rekognitions_errors()
    {
        var collections = Collections();

        Assert.Null(await collections.DescribeAsync("people", Ct));
        Assert.Equal("6.0", (await collections.Open("people").EnsureCollectionAsync(Ct)).FaceModelVersion);
        await Assert.ThrowsAsync<RekognitionResourceAlreadyExistsException>(() => _emulator.Client.CreateCollectionAsync(new CreateCollectionRequest("people"), Ct));
        _emulator.NewCollectionModel = "7.0";
        Assert.Equal("7.0", (await collections.Open("people-g1").EnsureCollectionAsync(Ct)).FaceModelVersion);
        Assert.Equal("6.0", (await collections.DescribeAsync("people", Ct))?.FaceModelVersion);
        Assert.Equal(["people", "people-g1"], _emulator.CollectionIds);

        Assert.True(await collections.DeleteCollectionAsync("people", Ct));
        Assert.False(await collections.DeleteCollectionAsync("people", Ct));
        await Assert.ThrowsAsync<RekognitionResourceNotFoundException>(() => collections.Open("people").ListFacesAsync(null, 10, Ct));
        await Assert.ThrowsAsync<RekognitionResourceNotFoundException>(() => collections.Open("people").IndexFaceAsync(Photo("Abel_Pacheco", 1), "p", Ct));
        var notAnImage = await Assert.ThrowsAsync<RekognitionInvalidImageFormatException>(() =>
            _emulator.Client.DetectFacesAsync(new DetectFacesRequest(new RekognitionImage("not a photo"u8.ToArray()), ["DEFAULT"]), Ct));
        Assert.Equal(HttpStatusCode.BadRequest, notAnImage.StatusCode);
        var unsigned = RekognitionClients.Over(_emulator, new BasicAWSCredentials("AKIDEMULATOR", "another secret"));
        Assert.Equal("InvalidSignatureException", (await Assert.ThrowsAsync<RekognitionException>(() => unsigned.DescribeCollectionAsync(new DescribeCollectionRequest("people-g1"), Ct))).ErrorType);
    }

    [Fact]
    public async Task Real_faces_are_indexed_searched_listed_and_deleted_and_a_recreated_collection_starts_empty()
    {
        var collection = Collections().Open("people");
        await collection.EnsureCollectionAsync(Ct);
        var abel = Guid.NewGuid().ToString("N");
        var aaron = Guid.NewGuid().ToString("N");

        var indexed = await collection.IndexFaceAsync(Photo("Abel_Pacheco", 1), abel, Ct);
        var other = await collection.IndexFaceAsync(Photo("Aaron_Peirsol", 1), aaron, Ct);

        Assert.Equal("6.0", indexed.FaceModelVersion);
        var face = Assert.IsType<FaceLogin.Domain.Ports.FaceRecord>(indexed.Indexed);
        Assert.Equal(abel, face.ExternalImageId);
        Assert.InRange(face.Box.Width, 0.1f, 0.9f);
        Assert.Equal(face.Box, indexed.IndexedDetail?.Box);
        Assert.NotNull(other.Indexed);
        Assert.Equal(2, (await collection.DescribeCollectionAsync(Ct))?.FaceCount);

        // Another photo of Abel finds Abel alone at the default threshold, on the 0..100 scale.
        var search = await collection.SearchFacesByImageAsync(Photo("Abel_Pacheco", 2), FaceLogin.Domain.Authentication.FaceMatchThreshold.Default, 5, Ct);
        var match = Assert.Single(search.Matches);
        Assert.Equal((face.FaceId, abel), (match.Face.FaceId, match.Face.ExternalImageId));
        Assert.InRange(match.Similarity, FaceLogin.Domain.Authentication.FaceMatchThreshold.Default, 100);
        Assert.NotNull(search.SearchedFace);
        Assert.Equal([other.Indexed!.FaceId], (await collection.SearchFacesAsync(face.FaceId, 0, 5, Ct)).Select(m => m.Face.FaceId));
        Assert.Null((await collection.SearchFacesByImageAsync(NoFace(), 80, 5, Ct)).SearchedFace);

        // Pages of one, in indexing order.
        var first = await collection.ListFacesAsync(null, 1, Ct);
        var second = await collection.ListFacesAsync(first.NextToken, 1, Ct);
        Assert.Equal([face.FaceId, other.Indexed.FaceId], first.Faces.Concat(second.Faces).Select(f => f.FaceId));
        Assert.Null(second.NextToken);

        // An unknown id is FACE_NOT_FOUND, which the adapter accepts as gone already.
        var response = await _emulator.Client.DeleteFacesAsync(new DeleteFacesRequest("people", [face.FaceId, Guid.NewGuid().ToString("D")]), Ct);
        Assert.Equal([face.FaceId], response.DeletedFaces);
        Assert.Equal(["FACE_NOT_FOUND"], Assert.Single(response.UnsuccessfulFaceDeletions!).Reasons);
        Assert.Equal([other.Indexed.FaceId], (await collection.ListFacesAsync(null, 10, Ct)).Faces.Select(f => f.FaceId));

        var detected = await collection.DetectFacesAsync(Photo("Abel_Pacheco", 1), Ct);
        Assert.Equal(face.Box, detected.Faces[0].Box);
        Assert.NotEqual(default, detected.Faces[0].Landmarks.Nose);

        // Deleted and made again under the same id: empty, with the model a new collection gets now.
        _emulator.NewCollectionModel = "7.0";
        Assert.True(await Collections().DeleteCollectionAsync("people", Ct));
        Assert.Equal(("7.0", 0L), await collection.EnsureCollectionAsync(Ct) is var made ? (made.FaceModelVersion, made.FaceCount) : default);
        Assert.Empty((await collection.ListFacesAsync(null, 10, Ct)).Faces);
        Assert.NotNull((await collection.IndexFaceAsync(Photo("Abel_Pacheco", 1), abel, Ct)).Indexed);
        Assert.Equal(1, (await Collections().DescribeAsync("people", Ct))?.FaceCount);
    }

    [Fact]
    public async Task IndexFaces_applies_the_engines_quality_filter_with_AUTO_and_none_with_NONE()
    {
        var collection = Collections().Open("people");
        await collection.EnsureCollectionAsync(Ct);
        var blurred = Blurred(Photo("Abel_Pacheco", 1));

        var filtered = await collection.IndexFaceAsync(blurred, "p1", Ct);
        var unfiltered = await collection.IndexFaceWithoutQualityFilterAsync(blurred, "p1", Ct);

        Assert.Null(filtered.Indexed);
        Assert.Contains(UnindexedReason.LowSharpness, Assert.Single(filtered.Unindexed).Reasons);
        Assert.NotNull(unfiltered.Indexed);
        Assert.Equal(["AUTO", "NONE"], _emulator.Requests.Where(r => r.Operation == "IndexFaces").Select(r => r.Json.GetProperty("QualityFilter").GetString()));
    }

    private static byte[] Photo(string person, int number) => LocalFaceEngineFixture.Photo(person, number);

    private static byte[] NoFace()
    {
        using var bitmap = new SKBitmap(160, 160);
        bitmap.Erase(SKColors.Gray);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }

    private static byte[] Blurred(byte[] jpeg)
    {
        using var original = SKImage.FromEncodedData(jpeg);
        using var surface = SKSurface.Create(new SKImageInfo(original.Width, original.Height));
        using var paint = new SKPaint { ImageFilter = SKImageFilter.CreateBlur(4, 4) };
        surface.Canvas.DrawImage(original, 0, 0, new SKSamplingOptions(SKFilterMode.Linear), paint);
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }

    public void Dispose() => _emulator.Dispose();
}
