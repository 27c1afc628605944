using Amazon.DynamoDBv2;
using Amazon.Extensions.NETCore.Setup;
using Amazon.S3;
using FaceLogin.Domain.Aws;
using FaceLogin.Domain.Aws.DynamoDb;
using FaceLogin.Domain.DependencyInjection;
using FaceLogin.Domain.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FaceLogin.Tests.Support;

/// <summary>
/// The domain wired for AWS mode the way the app wires it (options, validators, adapters from
/// <see cref="AwsServiceCollectionExtensions"/>), pointed at s3rver and DynamoDB Local, with a fresh bucket and fresh
/// tables per instance (or the ones named in the settings). The face collection is supplied by the test, or with
/// <c>FaceLogin:Faces = Rekognition</c> is the app's (its client registered by the test).
/// </summary>
public sealed class AwsModeServices : IAsyncDisposable
{
    private AwsModeServices(ServiceProvider provider, IConfiguration configuration, string bucket)
    {
        Provider = provider;
        Configuration = configuration;
        Bucket = bucket;
    }

    public ServiceProvider Provider { get; }

    public IConfiguration Configuration { get; }

    public string Bucket { get; }

    public T Get<T>() where T : notnull => Provider.GetRequiredService<T>();

    public static async Task<AwsModeServices> StartAsync(
        S3rverFixture s3,
        DynamoDbLocalFixture dynamoDb,
        IFaceCollection? faces,
        CancellationToken cancellationToken,
        string prefix = "faces/",
        IDictionary<string, string?>? settings = null,
        bool createResources = true,
        Action<IServiceCollection>? configure = null)
    {
        s3.RequireRunning();
        dynamoDb.RequireRunning();
        var bucket = createResources ? await s3.CreateBucketAsync(cancellationToken) : "facelogin-" + Guid.NewGuid().ToString("N")[..20];
        var tables = "t" + Guid.NewGuid().ToString("N")[..12] + "-";
        var values = new Dictionary<string, string?>
        {
            ["FaceLogin:Images"] = "S3",
            // Single photos at the sign-in and sign-up doors: these runs test the stores and the doors' photo policy; bursts and
            // the liveness judge have their own tests (LivenessAtTheDoorsTests, LivenessJudgeOnRealFramesTests, the browser's).
            ["FaceLogin:Liveness:SignIn"] = "Off",
            ["FaceLogin:Liveness:SignUp"] = "Off",
            ["FaceLogin:Directory"] = "DynamoDb",
            ["FaceLogin:Aws:Bucket"] = bucket,
            ["FaceLogin:Aws:Prefix"] = prefix,
            ["FaceLogin:Aws:S3ServiceUrl"] = s3.ServiceUrl,
            ["FaceLogin:Aws:DynamoDbServiceUrl"] = dynamoDb.ServiceUrl,
            ["FaceLogin:Aws:PeopleTable"] = tables + "people",
            ["FaceLogin:Aws:FacesTable"] = tables + "faces",
            ["FaceLogin:Aws:LoginAttemptsTable"] = tables + "attempts",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        // Test credentials instead of the machine's AWS chain (which could reach for instance metadata).
        services.AddSingleton(new AWSOptions { Credentials = S3rverFixture.Credentials });
        if (faces is not null)
        {
            services.AddSingleton(faces);
        }

        configure?.Invoke(services);
        services.AddOptions<FaceLoginOptions>().Bind(configuration.GetSection(FaceLoginOptions.SectionName));
        services.AddSingleton(TimeProvider.System);
        services.AddFaceLoginServices(configuration);
        services.AddS3ImageStore(configuration);
        services.AddDynamoDbDirectory(configuration);
        if (configuration["FaceLogin:Faces"] == "Rekognition")
        {
            services.AddRekognitionFaceCollection(configuration);
        }

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        if (createResources)
        {
            await provider.GetRequiredService<DynamoDbFaceDirectory>().Tables.EnsureAsync(cancellationToken);
            await provider.GetRequiredService<IFaceDirectory>().InitializeAsync(cancellationToken);
        }

        return new AwsModeServices(provider, configuration, configuration["FaceLogin:Aws:Bucket"]!);
    }

    public IAmazonS3 S3 => Get<IAmazonS3>();

    public IAmazonDynamoDB DynamoDb => Get<IAmazonDynamoDB>();

    public ValueTask DisposeAsync() => Provider.DisposeAsync();
}
