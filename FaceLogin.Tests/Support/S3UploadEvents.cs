using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using FaceLogin.Domain.Aws.Function;
using FaceLogin.Domain.Aws.S3;

namespace FaceLogin.Tests.Support;

/// <summary>Uploads the seed's way and S3 event notifications built as S3 sends them, for the S3-upload function tests.</summary>
public static class S3UploadEvents
{
    /// <summary>Uploads as the seed's script did: plain metadata, only <c>fullname</c>.</summary>
    public static async Task<string> UploadAsSeedAsync(IAmazonS3 s3, string bucket, string objectKey, byte[] image, string fullName, CancellationToken cancellationToken)
    {
        var request = new PutObjectRequest
        {
            BucketName = bucket,
            Key = objectKey,
            InputStream = new MemoryStream(image),
            ContentType = "image/jpeg",
            UseChunkEncoding = false,
        };
        request.Metadata.Add("fullname", S3MetadataText.Encode(fullName));
        await s3.PutObjectAsync(request, cancellationToken);
        return objectKey;
    }

    public static MemoryStream Event(string bucket, params (string EventName, string Key)[] records) =>
        Event(bucket, [.. records.Select(r => (r.EventName, r.Key, 1234L))]);

    /// <param name="records">Each with the object's size as the event reports it.</param>
    public static MemoryStream Event(string bucket, (string EventName, string Key, long Size)[] records)
    {
        var json = JsonSerializer.Serialize(new
        {
            Records = records.Select(r => new
            {
                eventVersion = "2.1",
                eventSource = "aws:s3",
                awsRegion = "us-east-1",
                eventTime = "2026-11-27T08:00:00.000Z",
                eventName = r.EventName,
                s3 = new
                {
                    s3SchemaVersion = "1.0",
                    bucket = new { name = bucket, arn = "arn:aws:s3:::" + bucket },
                    // S3 encodes keys in events like a form: '+' for a space.
                    @object = new { key = WebUtility.UrlEncode(r.Key), size = r.Size, sequencer = "0055AED6DCD90281E5" },
                },
            }),
        });
        return new MemoryStream(Encoding.UTF8.GetBytes(json));
    }

    public static async Task<(S3UploadSummary Summary, string Json)> RunAsync(S3UploadFunction function, Stream input, CancellationToken cancellationToken)
    {
        await using var output = await function.HandleAsync(input, cancellationToken);
        using var reader = new StreamReader(output);
        var json = await reader.ReadToEndAsync(cancellationToken);
        var summary = JsonSerializer.Deserialize<S3UploadSummary>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        return (summary, json);
    }
}
