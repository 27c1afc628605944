using Amazon.DynamoDBv2;
using FaceLogin.Domain.Aws;
using FaceLogin.Domain.Aws.DynamoDb;
using FaceLogin.Domain.Ports;
using Microsoft.Extensions.Options;

namespace FaceLogin.Tests.Support;

/// <summary>
/// Directories on DynamoDB Local, each over tables of its own (a random prefix), so tests stay independent; a second
/// instance over the same tables, with a client of its own, is a process started later. Clients are disposed at the end.
/// </summary>
internal sealed class DynamoDbDirectories(DynamoDbLocalFixture dynamoDb) : IDisposable
{
    private readonly Dictionary<IFaceDirectory, AwsOptions> _tablesOf = [];
    private readonly List<IAmazonDynamoDB> _clients = [];

    /// <summary>The client of the first instances, for reading and writing items behind the directory's back.</summary>
    public IAmazonDynamoDB Client { get; } = dynamoDb.CreateClient();

    /// <summary>New tables (as provision creates them) and an initialised directory over them.</summary>
    public async Task<(DynamoDbFaceDirectory Directory, AwsOptions Options)> CreateAsync(CancellationToken cancellationToken)
    {
        dynamoDb.RequireRunning();
        var prefix = "t" + Guid.NewGuid().ToString("N")[..12] + "-";
        var options = new AwsOptions
        {
            PeopleTable = prefix + "people",
            FacesTable = prefix + "faces",
            LoginAttemptsTable = prefix + "attempts",
            DynamoDbServiceUrl = dynamoDb.ServiceUrl,
        };
        var directory = new DynamoDbFaceDirectory(Client, Options.Create(options), TimeProvider.System);
        await directory.Tables.EnsureAsync(cancellationToken);
        await directory.InitializeAsync(cancellationToken);
        _tablesOf[directory] = options;
        return (directory, options);
    }

    /// <summary>Another process on <paramref name="directory"/>'s tables, with its own clock; not initialised.</summary>
    public DynamoDbFaceDirectory Another(AwsOptions options, TimeProvider clock)
    {
        var client = dynamoDb.CreateClient();
        _clients.Add(client);
        var again = new DynamoDbFaceDirectory(client, Options.Create(options), clock);
        _tablesOf[again] = options;
        return again;
    }

    /// <summary>Another process on the same tables, initialised as at its start-up.</summary>
    public async Task<IFaceDirectory> OpenAgainAsync(IFaceDirectory directory, CancellationToken cancellationToken)
    {
        var again = Another(_tablesOf[directory], TimeProvider.System);
        await again.InitializeAsync(cancellationToken);
        return again;
    }

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        Client.Dispose();
    }
}
