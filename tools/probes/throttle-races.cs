#:project ../../FaceLogin.Domain/FaceLogin.Domain.csproj
#:property TreatWarningsAsErrors=false

// Load probe for issue 9 point 2's races: many attempts at once, from one address, through several processes (SQLite) or
// several directory instances (DynamoDB Local), against the real directories. Every count must be exact: the address throttle
// admits exactly what the same attempts one by one would, and every near-match of one person counts.
// How to run: tools/probes/README.md; what it printed on the reference machine: docs/architecture.md, "Throttling".

using System.Diagnostics;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using FaceLogin.Domain.Authentication;
using FaceLogin.Domain.Aws;
using FaceLogin.Domain.Aws.DynamoDb;
using FaceLogin.Domain.Local.Stores;
using FaceLogin.Domain.Ports;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

var arguments = Args.Parse(args);
Phases.T0 = arguments.T0 ?? DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
if (arguments.Worker is { } workerPhase)
{
    // A child process: one phase's share of the attempts against the SQLite file, then its admitted count on stdout.
    var directory = Directories.Sqlite(arguments.Database!);
    Console.WriteLine(await Phases.RunAsync(directory, workerPhase, arguments.Attempts, arguments.Addresses, arguments.Person));
    return 0;
}

var t0 = Phases.T0;
var failures = 0;
var clock = Stopwatch.StartNew();
IFaceDirectory[] instances;
string where;
if (arguments.Endpoint is { } endpoint)
{
    instances = await Directories.DynamoDbAsync(endpoint, arguments.Processes);
    where = $"DynamoDB Local at {endpoint}, {arguments.Processes} directory instances";
}
else
{
    var database = Path.Combine(Path.GetTempPath(), $"throttle-races-{Guid.NewGuid():N}.db");
    arguments = arguments with { Database = database };
    instances = [Directories.Sqlite(database)];
    await instances[0].InitializeAsync(CancellationToken.None);
    where = $"SQLite {database}, {arguments.Processes} processes";
}

Console.WriteLine($"throttle-races: {where}; {arguments.Attempts} attempts per process per phase, {arguments.Addresses} addresses");
var person = new Person(Guid.NewGuid(), "Probe Person", t0, t0, "probe", false, null);
await instances[0].AddPersonAsync(person, new RegisteredFace("probe-face", person.Id, FaceImageKey.New(person.Id), new(0.2f, 0.2f, 0.5f, 0.5f), t0), CancellationToken.None);

foreach (var phase in Phases.All)
{
    var started = clock.Elapsed;
    var admitted = await RunPhaseAsync(phase);
    var expected = Phases.ExpectedAdmitted(phase, arguments.Addresses);
    var total = arguments.Attempts * arguments.Processes;
    var seconds = (clock.Elapsed - started).TotalSeconds;
    var exact = admitted == expected;
    failures += exact ? 0 : 1;
    Console.WriteLine($"  {phase,-28} {total,6} attempts in {seconds,6:F2} s ({total / seconds,7:F0}/s): admitted {admitted}, expected {expected} {(exact ? "exact" : "WRONG")}");
}

var nearMatches = (await instances[0].GetPersonAsync(person.Id, CancellationToken.None))!;
var expectedNearMatches = arguments.Attempts * arguments.Processes;
var nearMatchesExact = nearMatches.FailedNearMatches == expectedNearMatches && nearMatches.IsFaceSignInSuspended;
failures += nearMatchesExact ? 0 : 1;
Console.WriteLine($"  near-matches of one person: {nearMatches.FailedNearMatches}, expected {expectedNearMatches}, suspended {nearMatches.IsFaceSignInSuspended} {(nearMatchesExact ? "exact" : "WRONG")}");
Console.WriteLine(failures == 0 ? "throttle-races: every count exact" : $"throttle-races: {failures} counts WRONG");
if (arguments.Database is { } file)
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    foreach (var suffix in new[] { "", "-wal", "-shm" })
    {
        File.Delete(file + suffix);
    }
}

return failures == 0 ? 0 : 1;

async Task<int> RunPhaseAsync(string phase)
{
    if (arguments.Endpoint is not null)
    {
        var counts = await Task.WhenAll(instances.Select(directory => Phases.RunAsync(directory, phase, arguments.Attempts, arguments.Addresses, person.Id)));
        return counts.Sum();
    }

    // One OS process per share: SQLite's locking across processes is what is probed.
    var children = Enumerable.Range(0, arguments.Processes).Select(_ => Process.Start(new ProcessStartInfo("dotnet")
    {
        ArgumentList =
        {
            Environment.GetCommandLineArgs()[0], "--worker", phase, "--database", arguments.Database!, "--attempts", arguments.Attempts.ToString(),
            "--addresses", arguments.Addresses.ToString(), "--person", person.Id.ToString(), "--t0", t0.ToUnixTimeMilliseconds().ToString(),
        },
        RedirectStandardOutput = true,
    })!).ToList();
    var outputs = await Task.WhenAll(children.Select(async child =>
    {
        var output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        return child.ExitCode == 0 ? int.Parse(output.Trim()) : throw new InvalidOperationException($"A worker failed with exit code {child.ExitCode}.");
    }));
    return outputs.Sum();
}

/// <summary>Virtual times, so that the expected counts follow from the rule and not from how fast the machine is.</summary>
static class Phases
{
    /// <summary>The parent's start, given to every worker so that all processes share one virtual clock.</summary>
    public static DateTimeOffset T0 { get; set; }

    public static readonly AddressThrottle Throttle = new(new AuthenticationOptions());

    /// <summary>
    /// burst: everything at T0, each admitted attempt recorded as a miss: exactly the free misses (5) per address.
    /// after-first-delay: everything at T0 + 30 s, when the 30-s delay is over: exactly one more per address (the sixth miss).
    /// after-second-delay: at T0 + 90 s, when the 60-s delay after it is over: one more (the seventh; the next delay is 120 s).
    /// lane-while-delayed: at T0 + 151 s, still delayed until T0 + 210 s, but a minute after the last question: one more.
    /// near-matches: every attempt counts a near-match against one person (checked after the phases).
    /// </summary>
    public static readonly string[] All = ["burst", "after-first-delay", "after-second-delay", "lane-while-delayed", "near-matches"];

    public static int ExpectedAdmitted(string phase, int addresses) => phase switch
    {
        "burst" => Throttle.Settings.MaxFailedAttempts * addresses,
        "near-matches" => 0,
        _ => addresses,
    };

    public static async Task<int> RunAsync(IFaceDirectory directory, string phase, int attempts, int addresses, Guid? person)
    {
        var at = phase switch
        {
            "after-first-delay" => T0.AddSeconds(30),
            "after-second-delay" => T0.AddSeconds(90),
            "lane-while-delayed" => T0.AddSeconds(151),
            _ => T0,
        };
        var admitted = await Task.WhenAll(Enumerable.Range(0, attempts).Select(i => Task.Run(async () =>
        {
            if (phase == "near-matches")
            {
                await directory.RecordNearMatchAsync(person!.Value, at, 50, CancellationToken.None);
                return false;
            }

            var client = $"198.51.100.{i % addresses}";
            var id = Guid.NewGuid();
            var gate = await directory.TryStartLoginAttemptAsync(id, client, at, Throttle, CancellationToken.None);
            await directory.AddLoginAttemptAsync(
                new LoginAttempt(id, at, gate.IsAdmitted ? LoginOutcome.NotRecognised : LoginOutcome.LockedOut, null, 40f, client), CancellationToken.None);
            return gate.IsAdmitted;
        })));
        return admitted.Count(a => a);
    }
}

static class Directories
{
    public static IFaceDirectory Sqlite(string path) =>
        new SqliteFaceDirectory(path, new SqliteDirectoryOptions(), TimeProvider.System, NullLogger<SqliteFaceDirectory>.Instance);

    public static async Task<IFaceDirectory[]> DynamoDbAsync(string endpoint, int count)
    {
        var prefix = "probe" + Guid.NewGuid().ToString("N")[..8] + "-";
        var options = Options.Create(new AwsOptions
        {
            PeopleTable = prefix + "people",
            FacesTable = prefix + "faces",
            LoginAttemptsTable = prefix + "attempts",
            DynamoDbServiceUrl = endpoint,
        });
        var instances = Enumerable.Range(0, count).Select(_ => new DynamoDbFaceDirectory(
            new AmazonDynamoDBClient(new BasicAWSCredentials("local", "local"), new AmazonDynamoDBConfig { ServiceURL = endpoint, AuthenticationRegion = "us-east-1" }),
            options, TimeProvider.System)).ToArray();
        await instances[0].Tables.EnsureAsync(CancellationToken.None);
        await instances[0].InitializeAsync(CancellationToken.None);
        return instances;
    }
}

sealed record Args(string? Worker, string? Database, string? Endpoint, int Processes, int Attempts, int Addresses, Guid? Person, DateTimeOffset? T0)
{
    public static Args Parse(string[] args)
    {
        string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        return new(
            Value("--worker"),
            Value("--database"),
            Value("--dynamodb"),
            int.Parse(Value("--processes") ?? "4"),
            int.Parse(Value("--attempts") ?? "200"),
            int.Parse(Value("--addresses") ?? "3"),
            Value("--person") is { } person ? Guid.Parse(person) : null,
            Value("--t0") is { } t0 ? DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(t0)) : null);
    }
}
