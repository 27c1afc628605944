using System.Net;
using System.Net.Http.Json;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Registration;
using FaceLogin.Tests.Support;
using FaceLogin.Web.Endpoints;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FaceLogin.Tests.Web.Endpoints;

/// <summary>
/// A full disk under the data folder: sign-in answers 503 with the JSON refusal the page shows, sign-up says the storage is
/// full (nothing of it kept), one warning each and no error; once space is freed the same requests succeed, without a restart.
/// </summary>
public sealed class FullStorageTests : IDisposable
{
    private const string Bystander = "203.0.113.9";

    private readonly FaceLoginWebFactory _app = new();
    private TmpfsMount? _disk;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _app.Dispose();
        _disk?.Dispose();
    }

    /// <summary>
    /// The real thing, end to end: a small tmpfs as the data folder (SQLite answers SQLITE_FULL, files ENOSPC). Mounting needs
    /// root, which CI has; elsewhere the classification below still runs on real exceptions of both kinds.
    /// </summary>
    [Fact]
    public async Task On_a_full_disk_sign_in_answers_503_with_its_json_sign_up_says_so_and_both_work_again_once_space_is_freed()
    {
        _disk = TmpfsMount.TryMount(_app.DataPath, "size=8m,mode=0700", out var problem);
        if (_disk is null)
        {
            Assert.Skip($"No small file system to fill: {problem}.");
        }

        await _app.RegisterAsync(TestPeople.A, Cancel);
        using var client = _app.CreateBrowserLikeClient();
        var token = await FaceLoginWebFactory.GetAntiforgeryTokenAsync(client, Cancel);
        var filler = Path.Combine(_app.DataPath, "filler");
        FillTheDisk(filler);
        var logsBefore = _app.Logs.Entries.Count;

        using (var refused = await SignInAsync(client, token))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal(FaceSignInRefused.StorageFull, await refused.Content.ReadFromJsonAsync<FaceSignInRefused>(Cancel));
            Assert.NotNull(refused.Headers.RetryAfter);
        }

        var registration = _app.Services.GetRequiredService<RegistrationService>();
        var signUp = await registration.RegisterAsync(
            new RegistrationRequest(TestPeople.C.FullName, true, TestPeople.Read(TestPeople.C.RegistrationPhoto), Bystander), Cancel);
        Assert.Equal(RegistrationStatus.StorageFull, signUp.Status);
        Assert.Equal(StorageFull.Message, signUp.Message);

        // The test server cannot apply the sign-in's body size limit and says so; Kestrel can (SignInBodyCapKestrelTests).
        var logged = _app.Logs.Entries.Skip(logsBefore)
            .Where(e => e.Level >= LogLevel.Warning && !e.Message.Contains(nameof(Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature), StringComparison.Ordinal))
            .ToArray();
        Assert.True(logged.Length == 2 && logged.All(e => e.Level == LogLevel.Warning),
            "Expected one warning per refusal, got:\n" + string.Join("\n", logged.Select(e => $"{e.Level} {e.Category}: {e.Message}")));

        File.Delete(filler);

        using (var signedIn = await SignInAsync(client, token))
        {
            Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        }

        var retried = await registration.RegisterAsync(
            new RegistrationRequest(TestPeople.C.FullName, true, TestPeople.Read(TestPeople.C.RegistrationPhoto), Bystander), Cancel);
        Assert.Equal(RegistrationStatus.Registered, retried.Status);
    }

    [Fact]
    public void Sqlites_full_database_is_recognised_as_a_full_storage()
    {
        using var folder = new TempFolder();
        using var connection = new SqliteConnection($"Data Source={folder.Combine("full.db")};Pooling=False");
        connection.Open();
        Execute(connection, "CREATE TABLE t (x BLOB);");
        // The database may not grow past its current pages: the next page it needs is refused as a full disk would be.
        Execute(connection, "PRAGMA max_page_count = " + Scalar(connection, "PRAGMA page_count;") + ";");

        var full = Assert.Throws<SqliteException>(() => Execute(connection, "INSERT INTO t VALUES (zeroblob(100000));"));

        Assert.Equal(13, full.SqliteErrorCode);
        Assert.True(StorageFull.IsCause(full));
        Assert.True(StorageFull.IsCause(new InvalidOperationException("wrapped", full)));
    }

    [Fact]
    public void A_write_to_a_full_device_is_recognised_as_a_full_storage()
    {
        if (!File.Exists("/dev/full"))
        {
            Assert.Skip("No /dev/full (a Linux device whose writes always fail with 'no space left').");
        }

        using var device = new FileStream("/dev/full", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        var full = Assert.ThrowsAny<IOException>(() => device.Write(new byte[4096]));

        Assert.True(StorageFull.IsCause(full));
        Assert.False(StorageFull.IsCause(new IOException("Broken pipe", 32)));
        Assert.False(StorageFull.IsCause(new SqliteException("busy", 5)));
    }

    private Task<HttpResponseMessage> SignInAsync(HttpClient client, string token) =>
        client.PostAsync("auth/login", FaceLoginWebFactory.SignInForm(TestPeople.Read(TestPeople.A.SignInPhoto), token), Cancel);

    /// <summary>Writes until the file system says "no space left", the way a disk fills up under a running app.</summary>
    private static void FillTheDisk(string filler)
    {
        using var file = new FileStream(filler, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        var chunk = new byte[64 * 1024];
        try
        {
            while (true)
            {
                file.Write(chunk);
            }
        }
        catch (IOException full) when (StorageFull.IsCause(full))
        {
            // Full. Smaller writes take what is left of the last partly used page.
        }

        try
        {
            while (true)
            {
                file.Write(chunk, 0, 512);
            }
        }
        catch (IOException full) when (StorageFull.IsCause(full))
        {
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar()!;
    }
}
