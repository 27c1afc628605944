using System.Diagnostics;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace FaceLogin.Tests.Support;

/// <summary>
/// s3rver (npm 3.7.1) on a free loopback port with a temporary directory, shared by one test collection.
/// Each test asks for its own bucket (<see cref="CreateBucketAsync"/>) so tests stay independent.
/// </summary>
public sealed class S3rverFixture : IAsyncLifetime
{
    private TestServerProcess? _server;
    private string? _directory;
    private Exception? _startFailure;

    public string ServiceUrl => $"http://127.0.0.1:{Server.Port}";

    private TestServerProcess Server => _server ?? throw new InvalidOperationException("s3rver is not running.", _startFailure);

    public static AWSCredentials Credentials { get; } = new BasicAWSCredentials("S3RVER", "S3RVER");

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(Path.Combine(TestServerProcess.NodeModules, "s3rver", "bin", "s3rver.js")))
        {
            _startFailure = new InvalidOperationException($"s3rver is not installed under {TestServerProcess.NodeModules}; build FaceLogin.Tests (it runs npm ci).");
            return;
        }

        _directory = Directory.CreateTempSubdirectory("facelogin-s3rver-").FullName;
        var port = TestServerProcess.FreeLoopbackPort();
        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { Path.Combine(TestServerProcess.NodeModules, "s3rver", "bin", "s3rver.js"), "-d", _directory, "-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent" },
            WorkingDirectory = TestServerProcess.ServersDirectory,
        };
        // Without the legacy provider, Node 20 fails s3rver's continuation tokens (HTTP 500 on a truncated listing).
        start.Environment["NODE_OPTIONS"] = "--openssl-legacy-provider";
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            _server = await TestServerProcess.StartAsync("s3rver", start, port,
                async ct => (await probe.GetAsync($"http://127.0.0.1:{port}/", ct)).IsSuccessStatusCode,
                TimeSpan.FromSeconds(60));
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or TimeoutException)
        {
            _startFailure = ex;
        }
    }

    /// <summary>Skips (fails in CI) when the server could not start, with the reason.</summary>
    public void RequireRunning() =>
        TestServerProcess.RequireStarted(_server, "s3rver", _startFailure, "node", "s3rver needs Node.js.");

    public IAmazonS3 CreateClient() => new AmazonS3Client(Credentials, new AmazonS3Config
    {
        ServiceURL = ServiceUrl,
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
    });

    public async Task<string> CreateBucketAsync(CancellationToken cancellationToken)
    {
        RequireRunning();
        var bucket = "facelogin-" + Guid.NewGuid().ToString("N")[..20];
        using var client = CreateClient();
        await client.PutBucketAsync(new PutBucketRequest { BucketName = bucket }, cancellationToken);
        return bucket;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_directory is not null && Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class S3rverCollection : ICollectionFixture<S3rverFixture>
{
    public const string Name = "s3rver";
}
