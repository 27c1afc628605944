using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using FaceLogin.Domain.Aws.Rekognition;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Index;
using FaceLogin.Domain.Ports;
using FaceLogin.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FaceLogin.Tests.Aws;

/// <summary>
/// A stateful stand-in for Amazon Rekognition's endpoint at the <see cref="HttpMessageHandler"/> level (JSON 1.1 protocol:
/// <c>X-Amz-Target: RekognitionService.&lt;Operation&gt;</c>, bodies as the records of RekognitionModels.cs, errors as
/// <c>{"__type", "message"}</c>), backed by the REAL local engine: each Rekognition collection is the local collection of the
/// same id in one <see cref="LocalFaceCollections"/> over a temporary data folder, which already has Rekognition's semantics
/// (docs/collection.md). Faces are really detected, indexed and searched; similarity is the local collection's, on 0..100;
/// boxes and landmarks are ratios of the image, as Rekognition's.
/// </summary>
/// <remarks>
/// <para>
/// The face model is a label: a new collection gets <see cref="NewCollectionModel"/> (set it to "7.0" to play Rekognition
/// releasing a model) and keeps it, and every answer about the collection carries it. The engine underneath is the same default
/// local engine for every label, so the tests built on it are about the mechanics of changing models (which collection, which
/// calls), not about comparing two models' faces.
/// </para>
/// <para>
/// Operations: CreateCollection, DescribeCollection, DeleteCollection, IndexFaces (MaxFaces 1; QualityFilter AUTO is the local
/// engine's quality filter, NONE indexes whatever the quality), SearchFacesByImage, SearchFaces, ListFaces (paged by NextToken),
/// DeleteFaces (unknown ids come back as FACE_NOT_FOUND) and DetectFaces. A missing collection is a ResourceNotFoundException,
/// an existing one a ResourceAlreadyExistsException, an image the engine cannot read an InvalidImageFormatException (or
/// ImageTooLargeException), a parameter the local collection refuses an InvalidParameterException. Every request's SigV4
/// signature is checked against <see cref="Client"/>'s credentials.
/// </para>
/// <para>
/// Not emulated: other operations (users, streams, video) and request members FaceLogin does not send; MaxFaces other than 1 and
/// QualityFilter LOW/MEDIUM/HIGH on IndexFaces are refused as unsupported; SearchFacesByImage ignores its QualityFilter (the local
/// search has none); SearchFaces with a well-formed unknown FaceId finds nothing; throttling, limits and eventual consistency.
/// </para>
/// </remarks>
public sealed class RekognitionEmulator : HttpMessageHandler
{
    private const string Secret = "emulator-secret";
    private static readonly RekognitionJsonContext Json = RekognitionJsonContext.Default;

    private readonly TempFolder _data = new();
    private readonly IHost _engine;
    private readonly LocalFaceCollections _local;
    private readonly ConcurrentDictionary<string, (string Model, DateTimeOffset CreatedAt)> _collections = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<CapturedRequest> _requests = new();

    public RekognitionEmulator()
    {
        _engine = LfwImportRun.BuildDomain(new Dictionary<string, string?> { ["FaceLogin:DataPath"] = _data.Path });
        _local = _engine.Services.GetRequiredService<LocalFaceCollections>();
        Client = RekognitionClients.Over(this, new Amazon.Runtime.BasicAWSCredentials("AKIDEMULATOR", Secret));
    }

    /// <summary>The FaceModelVersion a collection created from now on gets.</summary>
    public string NewCollectionModel { get; set; } = "6.0";

    /// <summary>A client whose requests this emulator answers.</summary>
    public RekognitionClient Client { get; }

    /// <summary>Every request answered so far, in order.</summary>
    public IReadOnlyList<CapturedRequest> Requests => [.. _requests];

    /// <summary>Every request so far as its operation and the collection it names (null for DetectFaces).</summary>
    public IReadOnlyList<(string Operation, string? CollectionId)> Calls =>
        [.. Requests.Select(r => (r.Operation, r.Json.TryGetProperty("CollectionId", out var id) ? id.GetString() : null))];

    /// <summary>The collections that exist now, sorted.</summary>
    public IReadOnlyList<string> CollectionIds => [.. _collections.Keys.Order(StringComparer.Ordinal)];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var captured = await CapturedRequest.CaptureAsync(request, cancellationToken);
        _requests.Enqueue(captured);
        var auth = SigV4Verifier.Parse(captured.Headers["authorization"]);
        if (SigV4Verifier.ExpectedSignature(captured, Secret, auth.Region, auth.Service, auth.SignedHeaders) != auth.Signature)
        {
            return Error(HttpStatusCode.Forbidden, "InvalidSignatureException", "The request signature we calculated does not match the signature you provided.");
        }

        try
        {
            return captured.Operation switch
            {
                "CreateCollection" => Ok(CreateCollection(Read(captured, Json.CreateCollectionRequest)), Json.CreateCollectionResponse),
                "DescribeCollection" => Ok(await DescribeCollectionAsync(Read(captured, Json.DescribeCollectionRequest), cancellationToken), Json.DescribeCollectionResponse),
                "DeleteCollection" => Ok(await DeleteCollectionAsync(Read(captured, Json.DeleteCollectionRequest), cancellationToken), Json.DeleteCollectionResponse),
                "IndexFaces" => Ok(await IndexFacesAsync(Read(captured, Json.IndexFacesRequest), cancellationToken), Json.IndexFacesResponse),
                "SearchFacesByImage" => Ok(await SearchFacesByImageAsync(Read(captured, Json.SearchFacesByImageRequest), cancellationToken), Json.SearchFacesByImageResponse),
                "SearchFaces" => Ok(await SearchFacesAsync(Read(captured, Json.SearchFacesRequest), cancellationToken), Json.SearchFacesResponse),
                "ListFaces" => Ok(await ListFacesAsync(Read(captured, Json.ListFacesRequest), cancellationToken), Json.ListFacesResponse),
                "DeleteFaces" => Ok(await DeleteFacesAsync(Read(captured, Json.DeleteFacesRequest), cancellationToken), Json.DeleteFacesResponse),
                "DetectFaces" => Ok(await DetectFacesAsync(Read(captured, Json.DetectFacesRequest), cancellationToken), Json.DetectFacesResponse),
                var other => Error(HttpStatusCode.BadRequest, "UnknownOperationException", $"{other} is not emulated."),
            };
        }
        catch (RekognitionException ex)
        {
            return Error(ex.StatusCode, ex.ErrorType, ex.ServiceMessage);
        }
        catch (FaceImageRejectedException ex)
        {
            return ex.Problem is ImageProblem.TooLarge or ImageProblem.TooManyPixels
                ? Error(HttpStatusCode.BadRequest, "ImageTooLargeException", ex.Message)
                : Error(HttpStatusCode.BadRequest, "InvalidImageFormatException", $"Request has invalid image format: {ex.Message}");
        }
        catch (ArgumentException ex)
        {
            return Error(HttpStatusCode.BadRequest, "InvalidParameterException", ex.Message);
        }
    }

    private CreateCollectionResponse CreateCollection(CreateCollectionRequest request)
    {
        var made = (NewCollectionModel, DateTimeOffset.UtcNow);
        if (!_collections.TryAdd(request.CollectionId, made))
        {
            throw Failure("ResourceAlreadyExistsException", $"The collection id: {request.CollectionId} already exists");
        }

        return new CreateCollectionResponse { StatusCode = 200, CollectionArn = Arn(request.CollectionId), FaceModelVersion = made.NewCollectionModel };
    }

    private async Task<DescribeCollectionResponse> DescribeCollectionAsync(DescribeCollectionRequest request, CancellationToken cancellationToken)
    {
        var (model, createdAt) = Existing(request.CollectionId);
        var faces = (await _local.DescribeAsync(request.CollectionId, cancellationToken))?.FaceCount ?? 0;
        return new DescribeCollectionResponse
        {
            FaceCount = faces,
            FaceModelVersion = model,
            CollectionARN = Arn(request.CollectionId),
            CreationTimestamp = createdAt.ToUnixTimeMilliseconds() / 1000.0,
        };
    }

    private async Task<DeleteCollectionResponse> DeleteCollectionAsync(DeleteCollectionRequest request, CancellationToken cancellationToken)
    {
        Existing(request.CollectionId);
        await _local.DeleteCollectionAsync(request.CollectionId, cancellationToken);
        _collections.TryRemove(request.CollectionId, out _);
        return new DeleteCollectionResponse { StatusCode = 200 };
    }

    private async Task<IndexFacesResponse> IndexFacesAsync(IndexFacesRequest request, CancellationToken cancellationToken)
    {
        var (model, _) = Existing(request.CollectionId);
        if (request.MaxFaces != 1 || request.QualityFilter is not ("AUTO" or "NONE"))
        {
            throw Failure("InvalidParameterException", $"The emulator indexes with MaxFaces 1 and QualityFilter AUTO or NONE, not {request.MaxFaces} and {request.QualityFilter}.");
        }

        var collection = _local.Open(request.CollectionId);
        var result = request.QualityFilter == "NONE"
            ? await collection.IndexFaceWithoutQualityFilterAsync(request.Image.Bytes, request.ExternalImageId, cancellationToken)
            : await collection.IndexFaceAsync(request.Image.Bytes, request.ExternalImageId, cancellationToken);
        return new IndexFacesResponse
        {
            FaceRecords = result.Indexed is { } face ? [new RekognitionFaceRecord(ToFace(face, model), ToDetail(result.IndexedDetail!))] : [],
            UnindexedFaces = [.. result.Unindexed.Select(u => new RekognitionUnindexedFace([.. u.Reasons.Select(r => r.ToRekognitionName())], ToDetail(u.Detail)))],
            FaceModelVersion = model,
        };
    }

    private async Task<SearchFacesByImageResponse> SearchFacesByImageAsync(SearchFacesByImageRequest request, CancellationToken cancellationToken)
    {
        var (model, _) = Existing(request.CollectionId);
        var result = await _local.Open(request.CollectionId).SearchFacesByImageAsync(request.Image.Bytes, request.FaceMatchThreshold, request.MaxFaces, cancellationToken);
        if (result.SearchedFace is not { } searched)
        {
            throw Failure("InvalidParameterException", "There are no faces in the image. Should be at least 1.");
        }

        return new SearchFacesByImageResponse
        {
            SearchedFaceBoundingBox = ToBox(searched.Box),
            SearchedFaceConfidence = searched.Confidence,
            FaceMatches = [.. result.Matches.Select(m => new RekognitionFaceMatch(m.Similarity, ToFace(m.Face, model)))],
            FaceModelVersion = model,
        };
    }

    private async Task<SearchFacesResponse> SearchFacesAsync(SearchFacesRequest request, CancellationToken cancellationToken)
    {
        var (model, _) = Existing(request.CollectionId);
        var matches = await _local.Open(request.CollectionId).SearchFacesAsync(request.FaceId, request.FaceMatchThreshold, request.MaxFaces, cancellationToken);
        return new SearchFacesResponse
        {
            SearchedFaceId = request.FaceId,
            FaceMatches = [.. matches.Select(m => new RekognitionFaceMatch(m.Similarity, ToFace(m.Face, model)))],
            FaceModelVersion = model,
        };
    }

    private async Task<ListFacesResponse> ListFacesAsync(ListFacesRequest request, CancellationToken cancellationToken)
    {
        var (model, _) = Existing(request.CollectionId);
        var page = await _local.Open(request.CollectionId).ListFacesAsync(request.NextToken, request.MaxResults, cancellationToken);
        return new ListFacesResponse { Faces = [.. page.Faces.Select(f => ToFace(f, model))], NextToken = page.NextToken, FaceModelVersion = model };
    }

    private async Task<DeleteFacesResponse> DeleteFacesAsync(DeleteFacesRequest request, CancellationToken cancellationToken)
    {
        Existing(request.CollectionId);
        var deleted = await _local.Open(request.CollectionId).DeleteFacesAsync(request.FaceIds, cancellationToken);
        return new DeleteFacesResponse
        {
            DeletedFaces = [.. deleted],
            UnsuccessfulFaceDeletions = [.. request.FaceIds.Except(deleted, StringComparer.Ordinal).Select(id => new UnsuccessfulFaceDeletion { FaceId = id, Reasons = ["FACE_NOT_FOUND"] })],
        };
    }

    /// <summary>DetectFaces names no collection; a local collection that is never created analyses the image.</summary>
    private async Task<DetectFacesResponse> DetectFacesAsync(DetectFacesRequest request, CancellationToken cancellationToken)
    {
        var result = await _local.Open("emulator-detect-faces").DetectFacesAsync(request.Image.Bytes, cancellationToken);
        return new DetectFacesResponse { FaceDetails = [.. result.Faces.Select(ToDetail)] };
    }

    private (string Model, DateTimeOffset CreatedAt) Existing(string collectionId) =>
        _collections.TryGetValue(collectionId, out var collection)
            ? collection
            : throw Failure("ResourceNotFoundException", $"The collection id: {collectionId} does not exist");

    private static RekognitionFace ToFace(FaceRecord face, string model) => new()
    {
        FaceId = face.FaceId,
        BoundingBox = ToBox(face.Box),
        ImageId = face.ImageId,
        ExternalImageId = face.ExternalImageId,
        Confidence = face.Confidence,
        IndexFacesModelVersion = model,
    };

    private static RekognitionFaceDetail ToDetail(FaceDetail detail) => new()
    {
        BoundingBox = ToBox(detail.Box),
        Landmarks =
        [
            new("eyeLeft", detail.Landmarks.EyeLeft.X, detail.Landmarks.EyeLeft.Y),
            new("eyeRight", detail.Landmarks.EyeRight.X, detail.Landmarks.EyeRight.Y),
            new("nose", detail.Landmarks.Nose.X, detail.Landmarks.Nose.Y),
            new("mouthLeft", detail.Landmarks.MouthLeft.X, detail.Landmarks.MouthLeft.Y),
            new("mouthRight", detail.Landmarks.MouthRight.X, detail.Landmarks.MouthRight.Y),
        ],
        Pose = new RekognitionPose(detail.Pose.Roll, detail.Pose.Yaw, detail.Pose.Pitch),
        Quality = new RekognitionImageQuality(detail.Quality.Brightness, detail.Quality.Sharpness),
        Confidence = detail.Confidence,
    };

    private static RekognitionBoundingBox ToBox(BoundingBox box) => new(box.Width, box.Height, box.Left, box.Top);

    private static string Arn(string collectionId) => $"aws:rekognition:us-east-1:123456789012:collection/{collectionId}";

    private static T Read<T>(CapturedRequest request, JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(request.Body, type) ?? throw new ArgumentException("The request body is empty.");

    private static RekognitionException Failure(string type, string message) => RekognitionException.Create(type, message, HttpStatusCode.BadRequest);

    private static HttpResponseMessage Ok<T>(T body, JsonTypeInfo<T> type) => new(HttpStatusCode.OK)
    {
        Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, type)) { Headers = { { "Content-Type", RekognitionClient.ContentType } } },
    };

    private static HttpResponseMessage Error(HttpStatusCode status, string type, string message) => new(status)
    {
        Content = new StringContent(RekognitionHttpFake.ErrorBody(type, message), Encoding.UTF8, RekognitionClient.ContentType),
    };

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _engine.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            _data.Dispose();
        }

        base.Dispose(disposing);
    }
}
