using Amazon.Extensions.NETCore.Setup;
using FaceLogin.Domain.DependencyInjection;
using FaceLogin.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FaceLogin.Tests.Aws;

/// <summary>
/// A forgotten <c>provision</c> shows when the app or the import command starts, naming the command to run, instead of as a
/// failure of every request or every imported photo.
/// </summary>
[Collection(DynamoDbLocalCollection.Name)]
public sealed class StoresAtStartupTests(DynamoDbLocalFixture dynamoDb) : IDisposable
{
    private readonly TempFolder folder = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => folder.Dispose();

    /// <summary>DynamoDB Local with table names nobody provisioned; everything else local.</summary>
    private Dictionary<string, string?> UnprovisionedDynamoDb()
    {
        dynamoDb.RequireRunning();
        var tables = "missing" + Guid.NewGuid().ToString("N")[..8] + "-";
        return new()
        {
            ["FaceLogin:DataPath"] = folder.Path,
            ["FaceLogin:Directory"] = "DynamoDb",
            ["FaceLogin:Aws:Region"] = "eu-west-1",
            ["FaceLogin:Aws:DynamoDbServiceUrl"] = dynamoDb.ServiceUrl,
            ["FaceLogin:Aws:PeopleTable"] = tables + "people",
            ["FaceLogin:Aws:FacesTable"] = tables + "faces",
            ["FaceLogin:Aws:LoginAttemptsTable"] = tables + "attempts",
        };
    }

    [Fact]
    public async Task A_starting_host_fails_naming_the_provision_command_when_the_tables_are_missing()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(UnprovisionedDynamoDb());
        builder.Services.AddSingleton(new AWSOptions { Credentials = DynamoDbLocalFixture.Credentials });
        builder.Services.AddFaceLoginDomain(builder.Configuration);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<FaceLoginStartupException>(() => host.StartAsync(Ct));

        Assert.Contains("provision", error.Message, StringComparison.Ordinal);
        Assert.Contains("DynamoDb", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_import_verb_stops_before_any_photo_when_the_tables_are_missing()
    {
        var photos = Directory.CreateDirectory(folder.Combine("photos", "Ada Lovelace")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(photos, "1.jpg"), FakeFaceImages.Of("ada"), Ct);
        var (exitCode, output, errors) = await WebCommand.RunAsync(
            [.. UnprovisionedDynamoDb(), new("AWS_ACCESS_KEY_ID", "local"), new("AWS_SECRET_ACCESS_KEY", "local")],
            ["import", folder.Combine("photos")],
            Ct);

        Assert.Equal(2, exitCode);
        Assert.Contains("import: The directory (DynamoDb) is not usable", errors, StringComparison.Ordinal);
        Assert.Contains("provision", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("imported", output, StringComparison.OrdinalIgnoreCase);
        Assert.False(Directory.Exists(folder.Combine("images")));
    }
}
