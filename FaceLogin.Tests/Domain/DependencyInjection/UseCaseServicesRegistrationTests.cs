using FaceLogin.Domain.Administration;
using FaceLogin.Domain.Authentication;
using FaceLogin.Domain.DependencyInjection;
using FaceLogin.Domain.Local.Engine.Models;
using FaceLogin.Domain.Local.Stores;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Registration;
using FaceLogin.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FaceLogin.Tests.Domain.DependencyInjection;

/// <summary>The services and local stores as the web app and the commands get them: from configuration, through DI.</summary>
public sealed class UseCaseServicesRegistrationTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["FaceLogin:DataPath"] = folder.Path })
            .AddInMemoryCollection(settings)
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddFaceLoginDomain(configuration);
        // The collection is the engine's; the test double stands in until the engine's registration lands.
        services.AddSingleton<IFaceCollection, FakeFaceCollection>();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    [Fact]
    public async Task Services_resolve_and_the_local_stores_live_under_the_data_folder()
    {
        await using var provider = Build([]);
        var registration = provider.GetRequiredService<RegistrationService>();
        provider.GetRequiredService<AuthenticationService>();
        provider.GetRequiredService<AdministrationService>();

        var result = await registration.RegisterAsync(new RegistrationRequest("Ada Lovelace", true, FakeFaceImages.Of("ada")), TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded, result.Message);
        Assert.True(File.Exists(folder.Combine("facelogin.db")));
        Assert.Equal(2, folder.Files("images").Length);
        Assert.Same(provider.GetRequiredService<SqliteFaceDirectory>(), provider.GetRequiredService<IFaceDirectory>());
        Assert.Same(provider.GetRequiredService<FileSystemFaceImageStore>(), provider.GetRequiredService<IFaceImageStore>());
    }

    [Fact]
    public async Task Options_are_bound_from_their_sections()
    {
        await using var provider = Build(new()
        {
            ["FaceLogin:Authentication:MatchThreshold"] = "91.5",
            ["FaceLogin:Authentication:MaxFailedAttempts"] = "3",
            ["FaceLogin:Authentication:LockOutWindow"] = "00:05:00",
            ["FaceLogin:Authentication:Quality:MinFaceSizePx"] = "72",
            ["FaceLogin:Registration:DuplicateThreshold"] = "70",
            ["FaceLogin:Sqlite:LoginAttemptRetentionDays"] = "14",
        });

        var authentication = provider.GetRequiredService<IOptions<AuthenticationOptions>>().Value;
        var registration = provider.GetRequiredService<IOptions<RegistrationOptions>>().Value;

        Assert.Equal(91.5f, authentication.MatchThreshold);
        Assert.Equal(3, authentication.MaxFailedAttempts);
        Assert.Equal(TimeSpan.FromMinutes(5), authentication.LockOutWindow);
        Assert.Equal(72, authentication.Quality.MinFaceSizePx);
        Assert.Equal(50, authentication.Quality.MaxYawDegrees);
        Assert.Equal(70, registration.DuplicateThreshold);
        Assert.Equal(14, provider.GetRequiredService<IOptions<SqliteDirectoryOptions>>().Value.LoginAttemptRetentionDays);
    }

    [Theory]
    [InlineData("FaceLogin:Authentication:MatchThreshold", "0")]
    [InlineData("FaceLogin:Authentication:MaxFailedAttempts", "0")]
    [InlineData("FaceLogin:Authentication:Quality:MaxYawDegrees", "400")]
    [InlineData("FaceLogin:Registration:DuplicateThreshold", "101")]
    [InlineData("FaceLogin:Sqlite:LoginAttemptRetentionDays", "0")]
    public async Task A_setting_out_of_range_fails_naming_it(string key, string value)
    {
        await using var provider = Build(new() { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() =>
        {
            _ = provider.GetRequiredService<IOptions<AuthenticationOptions>>().Value;
            _ = provider.GetRequiredService<IOptions<RegistrationOptions>>().Value;
            _ = provider.GetRequiredService<IOptions<SqliteDirectoryOptions>>().Value;
        });

        var lastPart = key[(key.LastIndexOf(':') + 1)..];
        Assert.Contains(lastPart == "MaxYawDegrees" ? "Quality" : lastPart, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_admin_entry_that_is_not_a_person_id_fails_naming_the_entry_but_not_echoing_it()
    {
        var adminId = Guid.NewGuid().ToString();
        await using var provider = Build(new() { ["FaceLogin:Admins:0"] = adminId, ["FaceLogin:Admins:1"] = "Grace Hopper" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<FaceLoginOptions>>().Value);

        Assert.Contains("FaceLogin:Admins:1", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("FaceLogin:Admins:0", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Grace", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_entries_that_are_person_ids_are_accepted()
    {
        var adminId = Guid.NewGuid();
        await using var provider = Build(new() { ["FaceLogin:Admins:0"] = adminId.ToString(), ["FaceLogin:Admins:1"] = Guid.NewGuid().ToString("N") });

        var options = provider.GetRequiredService<IOptions<FaceLoginOptions>>().Value;

        Assert.True(options.IsConfiguredAdmin(adminId));
        Assert.False(options.IsConfiguredAdmin(Guid.NewGuid()));
    }

    [Fact]
    public async Task A_duplicate_threshold_above_the_match_threshold_fails_naming_both()
    {
        await using var provider = Build(new()
        {
            ["FaceLogin:Authentication:MatchThreshold"] = "85",
            ["FaceLogin:Registration:DuplicateThreshold"] = "90",
        });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RegistrationOptions>>().Value);

        Assert.Contains("FaceLogin:Registration:DuplicateThreshold", error.Message, StringComparison.Ordinal);
        Assert.Contains("FaceLogin:Authentication:MatchThreshold", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_starting_host_creates_the_directory_and_opens_the_local_collection_before_any_request()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["FaceLogin:DataPath"] = folder.Path });
        builder.Services.AddFaceLoginDomain(builder.Configuration);
        using var host = builder.Build();

        try
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
        }
        catch (FaceLoginStartupException ex) when (ex.InnerException is ModelsUnavailableException)
        {
            TestEnvironment.SkipOrFail($"The face models are not available ({ex.Message}).");
        }

        Assert.True(File.Exists(folder.Combine("facelogin.db")));
        Assert.NotNull(await host.Services.GetRequiredService<IFaceCollection>().DescribeCollectionAsync(TestContext.Current.CancellationToken));
        await host.StopAsync(TestContext.Current.CancellationToken);
        host.Services.GetRequiredService<SqliteFaceDirectory>().Dispose();
    }
}
