using System.Text.Json.Serialization;

namespace FaceLogin.Domain.Aws.Rekognition;

// Request and response bodies of the Rekognition operations FaceLogin uses, named exactly as in Rekognition's API
// reference (JSON 1.1 protocol: PascalCase members, blobs as base64, timestamps as epoch seconds).
// Only the members FaceLogin reads or sends are declared; unknown members in responses are ignored.

public sealed record RekognitionImage(byte[] Bytes);

public sealed record RekognitionBoundingBox(float Width, float Height, float Left, float Top);

public sealed record RekognitionLandmark(string Type, float X, float Y);

public sealed record RekognitionPose(float Roll, float Yaw, float Pitch);

public sealed record RekognitionImageQuality(float Brightness, float Sharpness);

public sealed record RekognitionFaceDetail
{
    public RekognitionBoundingBox? BoundingBox { get; init; }
    public List<RekognitionLandmark>? Landmarks { get; init; }
    public RekognitionPose? Pose { get; init; }
    public RekognitionImageQuality? Quality { get; init; }
    public float Confidence { get; init; }
}

public sealed record RekognitionFace
{
    public string FaceId { get; init; } = "";
    public RekognitionBoundingBox? BoundingBox { get; init; }
    public string? ImageId { get; init; }
    public string? ExternalImageId { get; init; }
    public float Confidence { get; init; }
    public string? IndexFacesModelVersion { get; init; }
}

public sealed record RekognitionFaceRecord(RekognitionFace Face, RekognitionFaceDetail? FaceDetail);

public sealed record RekognitionUnindexedFace(List<string>? Reasons, RekognitionFaceDetail? FaceDetail);

public sealed record RekognitionFaceMatch(float Similarity, RekognitionFace Face);

public sealed record CreateCollectionRequest(string CollectionId);

public sealed record CreateCollectionResponse
{
    public int StatusCode { get; init; }
    public string? CollectionArn { get; init; }
    public string? FaceModelVersion { get; init; }
}

public sealed record DeleteCollectionRequest(string CollectionId);

public sealed record DeleteCollectionResponse
{
    public int StatusCode { get; init; }
}

public sealed record DescribeCollectionRequest(string CollectionId);

public sealed record DescribeCollectionResponse
{
    public long FaceCount { get; init; }
    public string? FaceModelVersion { get; init; }
    public string? CollectionARN { get; init; }
    /// <summary>Epoch seconds.</summary>
    public double CreationTimestamp { get; init; }
}

public sealed record IndexFacesRequest
{
    public required string CollectionId { get; init; }
    public required RekognitionImage Image { get; init; }
    public required string ExternalImageId { get; init; }
    public List<string> DetectionAttributes { get; init; } = ["DEFAULT"];
    public int MaxFaces { get; init; } = 1;
    public string QualityFilter { get; init; } = "AUTO";
}

public sealed record IndexFacesResponse
{
    public List<RekognitionFaceRecord>? FaceRecords { get; init; }
    public List<RekognitionUnindexedFace>? UnindexedFaces { get; init; }
    public string? FaceModelVersion { get; init; }
}

public sealed record SearchFacesByImageRequest
{
    public required string CollectionId { get; init; }
    public required RekognitionImage Image { get; init; }
    public int MaxFaces { get; init; }
    public float FaceMatchThreshold { get; init; }
    public string QualityFilter { get; init; } = "AUTO";
}

public sealed record SearchFacesByImageResponse
{
    public RekognitionBoundingBox? SearchedFaceBoundingBox { get; init; }
    public float? SearchedFaceConfidence { get; init; }
    public List<RekognitionFaceMatch>? FaceMatches { get; init; }
    public string? FaceModelVersion { get; init; }
}

public sealed record SearchFacesRequest(string CollectionId, string FaceId, int MaxFaces, float FaceMatchThreshold);

public sealed record SearchFacesResponse
{
    public string? SearchedFaceId { get; init; }
    public List<RekognitionFaceMatch>? FaceMatches { get; init; }
    public string? FaceModelVersion { get; init; }
}

public sealed record ListFacesRequest
{
    public required string CollectionId { get; init; }
    public string? NextToken { get; init; }
    public int MaxResults { get; init; }
}

public sealed record ListFacesResponse
{
    public List<RekognitionFace>? Faces { get; init; }
    public string? NextToken { get; init; }
    public string? FaceModelVersion { get; init; }
}

public sealed record DeleteFacesRequest(string CollectionId, List<string> FaceIds);

public sealed record DeleteFacesResponse
{
    public List<string>? DeletedFaces { get; init; }

    public List<UnsuccessfulFaceDeletion>? UnsuccessfulFaceDeletions { get; init; }
}

/// <summary>A face DeleteFaces did not delete; <c>Reasons</c> are <c>ASSOCIATED_TO_AN_EXISTING_USER</c> or <c>FACE_NOT_FOUND</c>.</summary>
public sealed record UnsuccessfulFaceDeletion
{
    public string? FaceId { get; init; }

    public List<string>? Reasons { get; init; }
}

public sealed record DetectFacesRequest(RekognitionImage Image, List<string> Attributes);

public sealed record DetectFacesResponse
{
    public List<RekognitionFaceDetail>? FaceDetails { get; init; }
}

/// <summary>An error body: <c>{"__type": "...#ThrottlingException", "message": "..."}</c> (some services say "Message").</summary>
public sealed record RekognitionErrorBody
{
    [JsonPropertyName("__type")]
    public string? Type { get; init; }

    [JsonPropertyName("message")]
    public string? Message { get; init; }

    [JsonPropertyName("Message")]
    public string? MessageUpper { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateCollectionRequest))]
[JsonSerializable(typeof(CreateCollectionResponse))]
[JsonSerializable(typeof(DeleteCollectionRequest))]
[JsonSerializable(typeof(DeleteCollectionResponse))]
[JsonSerializable(typeof(DescribeCollectionRequest))]
[JsonSerializable(typeof(DescribeCollectionResponse))]
[JsonSerializable(typeof(IndexFacesRequest))]
[JsonSerializable(typeof(IndexFacesResponse))]
[JsonSerializable(typeof(SearchFacesByImageRequest))]
[JsonSerializable(typeof(SearchFacesByImageResponse))]
[JsonSerializable(typeof(SearchFacesRequest))]
[JsonSerializable(typeof(SearchFacesResponse))]
[JsonSerializable(typeof(ListFacesRequest))]
[JsonSerializable(typeof(ListFacesResponse))]
[JsonSerializable(typeof(DeleteFacesRequest))]
[JsonSerializable(typeof(DeleteFacesResponse))]
[JsonSerializable(typeof(DetectFacesRequest))]
[JsonSerializable(typeof(DetectFacesResponse))]
[JsonSerializable(typeof(RekognitionErrorBody))]
internal sealed partial class RekognitionJsonContext : JsonSerializerContext;
