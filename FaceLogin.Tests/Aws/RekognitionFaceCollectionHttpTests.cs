using System.Net;
using System.Text.Json;
using Amazon.Runtime;
using FaceLogin.Domain.Aws;
using FaceLogin.Domain.Aws.Rekognition;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Registration;
using FaceLogin.Tests.Support;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace FaceLogin.Tests.Aws;

/// <summary>
/// The Rekognition adapter at the HTTP level: each operation's request (target, content type, SigV4 header, JSON body
/// per Rekognition's API reference) and how responses and error bodies come back through the port.
/// </summary>
public sealed class RekognitionFaceCollectionHttpTests
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static readonly Uri Endpoint = new("https://rekognition.eu-west-1.amazonaws.com/");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly RekognitionHttpFake _http = new();

    private static readonly byte[] Jpeg = EncodeImage(SKEncodedImageFormat.Jpeg, 640, 480);

    private RekognitionFaceCollection Collection(string qualityFilter = "AUTO", int maxRetries = 3)
    {
        var client = RekognitionClients.Over(_http, new BasicAWSCredentials("AKIDEXAMPLE", Secret), Endpoint, "eu-west-1", maxRetries, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5));
        return new RekognitionFaceCollection(client, Options.Create(new AwsOptions { CollectionId = "facelogin-test", QualityFilter = qualityFilter }));
    }

    private static byte[] EncodeImage(SKEncodedImageFormat format, int width, int height)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(SKColors.Gray);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 90);
        return data.ToArray();
    }

    private static void AssertWellFormed(CapturedRequest request, string operation)
    {
        Assert.Equal("POST", request.Method);
        Assert.Equal(Endpoint, request.Uri);
        Assert.Equal("RekognitionService." + operation, request.Target);
        Assert.Equal("application/x-amz-json-1.1", request.Headers["content-type"]);
        var auth = SigV4Verifier.Parse(request.Headers["authorization"]);
        Assert.Equal("AKIDEXAMPLE", auth.AccessKey);
        Assert.Equal(("eu-west-1", "rekognition"), (auth.Region, auth.Service));
        Assert.Equal(request.Headers["x-amz-date"][..8], auth.Date);
        Assert.Subset(auth.SignedHeaders.ToHashSet(), new HashSet<string> { "host", "x-amz-date", "x-amz-target", "content-type" });
        Assert.Equal(SigV4Verifier.ExpectedSignature(request, Secret, "eu-west-1", "rekognition", auth.SignedHeaders), auth.Signature);
        Assert.InRange(SigV4Verifier.ParseAmzDate(request.Headers["x-amz-date"]), DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(1));
    }

    private const string FaceDetailJson = """
        {"BoundingBox":{"Width":0.25,"Height":0.5,"Left":0.375,"Top":0.125},
         "Landmarks":[{"Type":"eyeLeft","X":0.45,"Y":0.3},{"Type":"eyeRight","X":0.55,"Y":0.3},{"Type":"nose","X":0.5,"Y":0.4},
                      {"Type":"mouthLeft","X":0.46,"Y":0.5},{"Type":"mouthRight","X":0.54,"Y":0.5},{"Type":"chinBottom","X":0.5,"Y":0.6}],
         "Pose":{"Roll":1.5,"Yaw":-10.25,"Pitch":4.0},"Quality":{"Brightness":71.5,"Sharpness":89.25},"Confidence":99.9,
         "Emotions":[{"Type":"CALM","Confidence":90.0}]}
        """;

    [Fact]
    public async Task IndexFaces_sends_the_documented_body_and_maps_the_indexed_and_unindexed_faces()
    {
        _http.Answer($$$"""
            {"FaceRecords":[{"Face":{"FaceId":"11111111-2222-3333-4444-555555555555","BoundingBox":{"Width":0.25,"Height":0.5,"Left":0.375,"Top":0.125},
                                     "ImageId":"img-1","ExternalImageId":"0b8e5f0e4c0b4bb0a4e2c3f1d2e3f4a5","Confidence":99.9,"IndexFacesModelVersion":"7.0"},
                             "FaceDetail":{{{FaceDetailJson}}}}],
             "OrientationCorrection":"ROTATE_0","FaceModelVersion":"7.0",
             "UnindexedFaces":[{"Reasons":["EXCEEDS_MAX_FACES","LOW_SHARPNESS","SOME_FUTURE_REASON"],"FaceDetail":{"BoundingBox":{"Width":0.1,"Height":0.2,"Left":0.0,"Top":0.0},"Confidence":80.0}}]}
            """);

        var result = await Collection(qualityFilter: "HIGH").IndexFaceAsync(Jpeg, "0b8e5f0e4c0b4bb0a4e2c3f1d2e3f4a5", Ct);

        var request = Assert.Single(_http.Requests);
        AssertWellFormed(request, "IndexFaces");
        var body = request.Json;
        Assert.Equal("facelogin-test", body.GetProperty("CollectionId").GetString());
        Assert.Equal(Jpeg, body.GetProperty("Image").GetProperty("Bytes").GetBytesFromBase64());
        Assert.Equal("0b8e5f0e4c0b4bb0a4e2c3f1d2e3f4a5", body.GetProperty("ExternalImageId").GetString());
        Assert.Equal(1, body.GetProperty("MaxFaces").GetInt32());
        Assert.Equal("HIGH", body.GetProperty("QualityFilter").GetString());
        Assert.Equal(["DEFAULT"], body.GetProperty("DetectionAttributes").EnumerateArray().Select(e => e.GetString()));

        Assert.Equal("7.0", result.FaceModelVersion);
        Assert.Equal(new FaceLogin.Domain.Ports.FaceRecord("11111111-2222-3333-4444-555555555555", "0b8e5f0e4c0b4bb0a4e2c3f1d2e3f4a5",
            new BoundingBox(0.375f, 0.125f, 0.25f, 0.5f), 99.9f, "img-1"), result.Indexed);
        var detail = Assert.IsType<FaceDetail>(result.IndexedDetail);
        Assert.Equal(new FacePose(-10.25f, 4.0f, 1.5f), detail.Pose);
        // Face size in pixels: the shorter side of 0.25 × 640 and 0.5 × 480.
        Assert.Equal(new FaceQuality(71.5f, 89.25f, 160f), detail.Quality);
        Assert.Equal(new FacePoint(0.5f, 0.4f), detail.Landmarks.Nose);
        var unindexed = Assert.Single(result.Unindexed);
        Assert.Equal([UnindexedReason.ExceedsMaxFaces, UnindexedReason.LowSharpness], unindexed.Reasons);
        Assert.Equal(80f, unindexed.Detail.Confidence);
    }

    [Fact]
    public async Task SearchFacesByImage_sends_threshold_and_limit_and_maps_matches()
    {
        _http.Answer("""
            {"SearchedFaceBoundingBox":{"Width":0.5,"Height":0.5,"Left":0.25,"Top":0.25},"SearchedFaceConfidence":99.5,
             "FaceMatches":[{"Similarity":97.25,"Face":{"FaceId":"f-2","BoundingBox":{"Width":0.3,"Height":0.3,"Left":0.1,"Top":0.1},"ImageId":"i-2","ExternalImageId":"p2","Confidence":99.0}},
                            {"Similarity":99.5,"Face":{"FaceId":"f-1","BoundingBox":{"Width":0.3,"Height":0.3,"Left":0.1,"Top":0.1},"ImageId":"i-1","ExternalImageId":"p1","Confidence":99.0}}],
             "FaceModelVersion":"7.0"}
            """);

        var result = await Collection().SearchFacesByImageAsync(Jpeg, 92.5f, 3, Ct);

        var request = Assert.Single(_http.Requests);
        AssertWellFormed(request, "SearchFacesByImage");
        Assert.Equal(92.5f, request.Json.GetProperty("FaceMatchThreshold").GetSingle());
        Assert.Equal(3, request.Json.GetProperty("MaxFaces").GetInt32());
        Assert.Equal("AUTO", request.Json.GetProperty("QualityFilter").GetString());
        Assert.Equal("facelogin-test", request.Json.GetProperty("CollectionId").GetString());
        Assert.Equal(new BoundingBox(0.25f, 0.25f, 0.5f, 0.5f), result.SearchedFace?.Box);
        Assert.Equal(["f-1", "f-2"], result.Matches.Select(m => m.Face.FaceId));
        Assert.Equal(99.5f, result.Matches[0].Similarity);
        Assert.Equal("p1", result.Matches[0].Face.ExternalImageId);
    }

    [Fact]
    public async Task SearchFacesByImage_reads_no_face_from_InvalidParameterException()
    {
        _http.Error("InvalidParameterException", "There are no faces in the image. Should be at least 1.");

        var result = await Collection().SearchFacesByImageAsync(Jpeg, 90f, 1, Ct);

        Assert.Null(result.SearchedFace);
        Assert.Empty(result.Matches);
        Assert.Single(_http.Requests);
    }

    [Fact]
    public async Task Other_invalid_parameters_are_not_mistaken_for_no_face()
    {
        _http.Error("InvalidParameterException", "1 validation error detected: Value at 'maxFaces' failed to satisfy constraint");

        var error = await Assert.ThrowsAsync<RekognitionInvalidParameterException>(() => Collection().SearchFacesByImageAsync(Jpeg, 90f, 0, Ct));

        Assert.Contains("maxFaces", error.ServiceMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchFaces_ListFaces_and_DeleteFaces_send_their_documented_bodies()
    {
        _http.Answer("""{"SearchedFaceId":"f-1","FaceMatches":[{"Similarity":95.0,"Face":{"FaceId":"f-3","ExternalImageId":"p3","Confidence":99.0}}],"FaceModelVersion":"7.0"}""")
            .Answer("""{"Faces":[{"FaceId":"f-1","BoundingBox":{"Width":0.3,"Height":0.3,"Left":0.1,"Top":0.1},"ImageId":"i-1","ExternalImageId":"p1","Confidence":99.0}],"NextToken":"page-2","FaceModelVersion":"7.0"}""")
            .Answer("""{"Faces":[],"FaceModelVersion":"7.0"}""")
            .Answer("""{"DeletedFaces":["f-1"],"UnsuccessfulFaceDeletions":[{"FaceId":"f-9","Reasons":["FACE_NOT_FOUND"]}]}""");
        var collection = Collection();

        var matches = await collection.SearchFacesAsync("f-1", 80f, 5, Ct);
        var page1 = await collection.ListFacesAsync(null, 50, Ct);
        var page2 = await collection.ListFacesAsync(page1.NextToken, 50, Ct);
        var deleted = await collection.DeleteFacesAsync(["f-1", "f-9", "f-1"], Ct);

        Assert.Equal(4, _http.Requests.Count);
        AssertWellFormed(_http.Requests[0], "SearchFaces");
        Assert.Equal("f-1", _http.Requests[0].Json.GetProperty("FaceId").GetString());
        Assert.Equal(80f, _http.Requests[0].Json.GetProperty("FaceMatchThreshold").GetSingle());
        Assert.Equal(5, _http.Requests[0].Json.GetProperty("MaxFaces").GetInt32());
        Assert.Equal("f-3", Assert.Single(matches).Face.FaceId);

        AssertWellFormed(_http.Requests[1], "ListFaces");
        Assert.False(_http.Requests[1].Json.TryGetProperty("NextToken", out _));
        Assert.Equal(50, _http.Requests[1].Json.GetProperty("MaxResults").GetInt32());
        Assert.Equal("page-2", _http.Requests[2].Json.GetProperty("NextToken").GetString());
        Assert.Equal("f-1", Assert.Single(page1.Faces).FaceId);
        Assert.Null(page2.NextToken);

        AssertWellFormed(_http.Requests[3], "DeleteFaces");
        Assert.Equal(["f-1", "f-9"], _http.Requests[3].Json.GetProperty("FaceIds").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["f-1"], deleted);
    }

    /// <summary>
    /// Review-4 N5: a face DeleteFaces kept (for a reason other than being gone already) could still match, so the deletion
    /// fails instead of reporting success; the person stays listed and deleting again retries.
    /// </summary>
    [Fact]
    public async Task A_face_DeleteFaces_kept_fails_the_deletion()
    {
        _http.Answer("""{"DeletedFaces":["f-1"],"UnsuccessfulFaceDeletions":[{"FaceId":"f-9","UserId":"u-1","Reasons":["ASSOCIATED_TO_AN_EXISTING_USER"]}]}""");

        var error = await Assert.ThrowsAsync<RekognitionException>(() => Collection().DeleteFacesAsync(["f-1", "f-9"], Ct));

        Assert.Equal("UnsuccessfulFaceDeletions", error.ErrorType);
        Assert.Contains("ASSOCIATED_TO_AN_EXISTING_USER", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DetectFaces_returns_faces_largest_first_with_the_image_size()
    {
        _http.Answer($$$"""
            {"FaceDetails":[{"BoundingBox":{"Width":0.1,"Height":0.1,"Left":0.0,"Top":0.0},"Confidence":90.0}, {{{FaceDetailJson}}}],"OrientationCorrection":"ROTATE_0"}
            """);

        var result = await Collection().DetectFacesAsync(Jpeg, Ct);

        var request = Assert.Single(_http.Requests);
        AssertWellFormed(request, "DetectFaces");
        Assert.Equal(["DEFAULT"], request.Json.GetProperty("Attributes").EnumerateArray().Select(e => e.GetString()));
        Assert.False(request.Json.TryGetProperty("CollectionId", out _));
        Assert.Equal((640, 480), (result.ImageWidth, result.ImageHeight));
        Assert.Equal([99.9f, 90f], result.Faces.Select(f => f.Confidence));
    }

    [Fact]
    public async Task EnsureCollection_creates_a_missing_collection_then_describes_it()
    {
        _http.Error("ResourceNotFoundException", "The collection id: facelogin-test does not exist")
            .Answer("""{"StatusCode":200,"CollectionArn":"aws:rekognition:eu-west-1:123456789012:collection/facelogin-test","FaceModelVersion":"7.0"}""")
            .Answer("""{"FaceCount":0,"FaceModelVersion":"7.0","CollectionARN":"arn:aws:rekognition:eu-west-1:123456789012:collection/facelogin-test","CreationTimestamp":1764232215.5,"UserCount":0}""");

        var description = await Collection().EnsureCollectionAsync(Ct);

        Assert.Equal(["RekognitionService.DescribeCollection", "RekognitionService.CreateCollection", "RekognitionService.DescribeCollection"],
            _http.Requests.Select(r => r.Target));
        AssertWellFormed(_http.Requests[1], "CreateCollection");
        Assert.Equal("""{"CollectionId":"facelogin-test"}""", System.Text.Encoding.UTF8.GetString(_http.Requests[1].Body));
        Assert.Equal(new FaceLogin.Domain.Ports.CollectionDescription("facelogin-test", 0, "7.0", DateTimeOffset.FromUnixTimeMilliseconds(1764232215500)), description);
    }

    [Fact]
    public async Task DescribeCollection_of_a_missing_collection_is_null()
    {
        _http.Error("ResourceNotFoundException", "The collection id: facelogin-test does not exist");

        Assert.Null(await Collection().DescribeCollectionAsync(Ct));
    }

    [Theory]
    [InlineData("InvalidImageFormatException", ImageProblem.Corrupt)]
    [InlineData("ImageTooLargeException", ImageProblem.TooLarge)]
    public async Task Image_refusals_become_the_domains_rejection(string errorType, ImageProblem expected)
    {
        _http.Error(errorType, "Request has invalid image format");

        var error = await Assert.ThrowsAsync<FaceImageRejectedException>(() => Collection().IndexFaceAsync(Jpeg, "p1", Ct));

        Assert.Equal(expected, error.Problem);
    }

    [Fact]
    public async Task Images_Rekognition_cannot_take_are_refused_without_a_call()
    {
        var collection = Collection();
        var gif = "GIF89a"u8.ToArray().Concat(new byte[100]).ToArray();

        Assert.Equal(ImageProblem.Empty, (await Assert.ThrowsAsync<FaceImageRejectedException>(() => collection.IndexFaceAsync(Array.Empty<byte>(), "p", Ct))).Problem);
        Assert.Equal(ImageProblem.UnsupportedFormat, (await Assert.ThrowsAsync<FaceImageRejectedException>(() => collection.SearchFacesByImageAsync(gif, 90, 1, Ct))).Problem);
        Assert.Equal(ImageProblem.TooLarge, (await Assert.ThrowsAsync<FaceImageRejectedException>(() => collection.DetectFacesAsync(new byte[RekognitionFaceCollection.MaxImageBytes + 1], Ct))).Problem);
        Assert.Empty(_http.Requests);
    }

    [Theory]
    [InlineData("ThrottlingException", HttpStatusCode.BadRequest)]
    [InlineData("ProvisionedThroughputExceededException", HttpStatusCode.BadRequest)]
    [InlineData("InternalServerError", HttpStatusCode.InternalServerError)]
    public async Task Throttling_and_server_errors_are_retried_with_a_fresh_signature(string errorType, HttpStatusCode status)
    {
        _http.Error(errorType, "Slow down", status).Error(errorType, "Slow down", status)
            .Answer("""{"FaceCount":3,"FaceModelVersion":"7.0","CreationTimestamp":1764232215}""");

        var description = await Collection().DescribeCollectionAsync(Ct);

        Assert.Equal(3, description?.FaceCount);
        Assert.Equal(3, _http.Requests.Count);
        Assert.All(_http.Requests, r => AssertWellFormed(r, "DescribeCollection"));
    }

    [Fact]
    public async Task Retries_stop_after_the_configured_number()
    {
        for (var i = 0; i < 3; i++)
        {
            _http.Error("ThrottlingException", "Rate exceeded");
        }

        var error = await Assert.ThrowsAsync<RekognitionThrottlingException>(() => Collection(maxRetries: 2).DescribeCollectionAsync(Ct));

        Assert.Equal("ThrottlingException", error.ErrorType);
        Assert.Equal(3, _http.Requests.Count);
    }

    [Fact]
    public async Task Errors_that_retrying_cannot_fix_are_thrown_at_once()
    {
        _http.Error("AccessDeniedException", "User is not authorized to perform: rekognition:IndexFaces");

        var error = await Assert.ThrowsAsync<RekognitionAccessDeniedException>(() => Collection().IndexFaceAsync(Jpeg, "p1", Ct));

        Assert.Single(_http.Requests);
        Assert.Contains("rekognition:IndexFaces", error.ServiceMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Error_type_comes_from_the_header_when_the_body_is_not_json()
    {
        _http.Answer("<html>Bad request</html>", "text/html", HttpStatusCode.BadRequest,
            ("x-amzn-ErrorType", "InvalidParameterException:http://internal.amazon.com/coral/com.amazonaws.rekognition/"));

        var error = await Assert.ThrowsAsync<RekognitionInvalidParameterException>(() => Collection().DescribeCollectionAsync(Ct));

        Assert.Equal("InvalidParameterException", error.ErrorType);
        Assert.Single(_http.Requests);
    }

    [Fact]
    public async Task A_server_error_page_without_a_type_is_retried_by_its_status()
    {
        _http.Answer("<html>Bad gateway</html>", "text/html", HttpStatusCode.BadGateway)
            .Answer("""{"FaceCount":1,"FaceModelVersion":"7.0","CreationTimestamp":0}""");

        Assert.Equal(1, (await Collection().DescribeCollectionAsync(Ct))?.FaceCount);
        Assert.Equal(2, _http.Requests.Count);
    }

    private const string IndexedJson = """
        {"FaceRecords":[{"Face":{"FaceId":"11111111-2222-3333-4444-555555555555","ImageId":"img-1","ExternalImageId":"p1","Confidence":99.9}}],
         "FaceModelVersion":"7.0","UnindexedFaces":[]}
        """;

    public static TheoryData<string> LostAnswers => new() { "500", "503 without a body", "broken connection", "client time-out" };

    private RekognitionHttpFake LoseAnswer(string how) => how switch
    {
        "500" => _http.Error("InternalServerError", "Internal server error", HttpStatusCode.InternalServerError),
        "503 without a body" => _http.Answer("", "text/plain", HttpStatusCode.ServiceUnavailable),
        "broken connection" => _http.Fail(new HttpRequestException("Connection reset by peer")),
        _ => _http.Fail(new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout")),
    };

    /// <summary>
    /// Review S1.3: IndexFaces is not idempotent. After a 5xx or a lost connection the face may be indexed already, so a
    /// retry would index a second face that nobody records; the error goes to the caller, whose undo scans by ExternalImageId.
    /// </summary>
    [Theory]
    [MemberData(nameof(LostAnswers))]
    public async Task IndexFaces_is_not_retried_when_the_answer_may_have_been_lost(string how)
    {
        LoseAnswer(how).Answer(IndexedJson);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => Collection().IndexFaceAsync(Jpeg, "p1", Ct));

        // Never a cancellation: registration rethrows those as the caller's own, instead of answering Failed.
        Assert.IsNotAssignableFrom<OperationCanceledException>(error);
        Assert.True(error is RekognitionException or HttpRequestException, $"{error.GetType()}: {error.Message}");
        Assert.Single(_http.Requests);
    }

    /// <summary>Review S4: HttpClient's time-out is not the caller's cancellation, whether or not the call may be retried.</summary>
    [Fact]
    public async Task A_time_out_after_the_last_retry_is_a_RekognitionException()
    {
        var timeout = new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout");
        _http.Fail(timeout).Fail(timeout);

        var error = await Assert.ThrowsAsync<RekognitionException>(() => Collection(maxRetries: 1).ListFacesAsync(null, 10, Ct));

        Assert.Equal(RekognitionClient.TimeoutErrorType, error.ErrorType);
        Assert.Same(timeout, error.InnerException);
        Assert.Equal(2, _http.Requests.Count);
    }

    [Fact]
    public async Task The_callers_own_cancellation_stays_a_cancellation()
    {
        using var cancelled = new CancellationTokenSource();
        _http.Answer("""{"Faces":[],"FaceModelVersion":"7.0"}""");
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Collection().ListFacesAsync(null, 10, cancelled.Token));
    }

    /// <summary>
    /// Review S4 at the registration level: a sign-up whose IndexFaces times out answers Failed (it used to throw a
    /// cancellation nobody asked for), and the undo looks for what the lost call may have indexed.
    /// </summary>
    [Fact]
    public async Task A_sign_up_whose_IndexFaces_times_out_answers_Failed()
    {
        using var harness = new DomainHarness(_ => Collection());
        _http.Answer($$$"""{"FaceDetails":[{{{FaceDetailJson}}}]}""")
            .Answer("""{"SearchedFaceBoundingBox":{"Width":0.25,"Height":0.5,"Left":0.375,"Top":0.125},"SearchedFaceConfidence":99.9,"FaceMatches":[],"FaceModelVersion":"7.0"}""")
            .Fail(new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout"))
            .Answer("""{"Faces":[],"FaceModelVersion":"7.0"}""");

        var result = await harness.Registration.RegisterAsync(new RegistrationRequest("Ann Smith", true, Jpeg), Ct);

        Assert.Equal(RegistrationStatus.Failed, result.Status);
        Assert.Equal(["DetectFaces", "SearchFacesByImage", "IndexFaces", "ListFaces"], _http.Requests.Select(r => r.Target["RekognitionService.".Length..]));
        Assert.Equal(0, (await harness.Directory.ListPeopleAsync(new PeopleQuery(1, 10, Search: null), Ct)).TotalCount);
    }

    [Theory]
    [MemberData(nameof(LostAnswers))]
    public async Task Idempotent_operations_are_retried_when_the_answer_was_lost(string how)
    {
        LoseAnswer(how).Answer("""{"Faces":[],"FaceModelVersion":"7.0"}""");

        Assert.Empty((await Collection().ListFacesAsync(null, 10, Ct)).Faces);

        Assert.Equal(2, _http.Requests.Count);
        Assert.All(_http.Requests, r => AssertWellFormed(r, "ListFaces"));
    }

    /// <summary>Throttling is answered before any work is done, so even IndexFaces is retried.</summary>
    [Theory]
    [InlineData("ThrottlingException", HttpStatusCode.InternalServerError)]
    [InlineData("ProvisionedThroughputExceededException", HttpStatusCode.BadRequest)]
    public async Task IndexFaces_is_retried_when_throttled(string errorType, HttpStatusCode status)
    {
        _http.Error(errorType, "Slow down", status).Answer(IndexedJson);

        var result = await Collection().IndexFaceAsync(Jpeg, "p1", Ct);

        Assert.Equal("11111111-2222-3333-4444-555555555555", result.Indexed?.FaceId);
        Assert.Equal(2, _http.Requests.Count);
        Assert.All(_http.Requests, r => AssertWellFormed(r, "IndexFaces"));
    }

    [Fact]
    public void Request_bodies_use_the_references_member_names()
    {
        var json = JsonSerializer.Serialize(new IndexFacesRequest
        {
            CollectionId = "c",
            Image = new RekognitionImage([1, 2, 3]),
            ExternalImageId = "e",
        }, RekognitionJsonContext.Default.IndexFacesRequest);

        Assert.Equal("""{"CollectionId":"c","Image":{"Bytes":"AQID"},"ExternalImageId":"e","DetectionAttributes":["DEFAULT"],"MaxFaces":1,"QualityFilter":"AUTO"}""", json);
    }

    /// <summary>Rekognition's box ratios refer to the upright picture, so a sideways-stored JPEG's size is reported turned.</summary>
    [Theory]
    [InlineData(1, 640, 480)]
    [InlineData(3, 640, 480)]
    [InlineData(4, 640, 480)]
    [InlineData(5, 480, 640)]
    [InlineData(6, 480, 640)]
    [InlineData(8, 480, 640)]
    public void The_image_size_is_that_of_the_upright_picture(int orientation, int width, int height)
    {
        var size = RekognitionFaceCollection.InspectImage(Local.Engine.TestImages.WithExifOrientation(Jpeg, orientation));

        Assert.Equal((width, height), (size.Width, size.Height));
    }
}
