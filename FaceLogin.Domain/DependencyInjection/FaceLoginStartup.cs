using FaceLogin.Domain.Authentication;
using FaceLogin.Domain.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaceLogin.Domain.DependencyInjection;

/// <summary>
/// Brings the configured stores to a usable state before the first request, so a forgotten <c>provision</c>, a missing
/// table or an unreadable collection shows at start-up, named, instead of as a failure of every request: the directory is
/// initialised (SQLite: created or migrated; DynamoDB: tables verified, the first-person marker written for tables from
/// before it), and the local face collection is opened (created, checked against the engine's model, loaded).
/// </summary>
/// <remarks>
/// The web app runs it through <see cref="FaceLoginStartupService"/>, which <c>AddFaceLoginDomain</c> registers; a command
/// host, which is never started, calls <see cref="InitializeAsync"/> itself. A Rekognition collection is left alone:
/// creating or describing it is the provision command's right, not the app's (deploy/iam-policy.json).
/// </remarks>
public static class FaceLoginStartup
{
    /// <exception cref="FaceLoginStartupException">A store is not usable; the message says which and why.</exception>
    public static async Task InitializeAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.GetRequiredService<IOptions<FaceLoginOptions>>().Value;
        SecureDataFolder(options.ResolveDataPath(), services.GetService<ILoggerFactory>());
        var directory = services.GetRequiredService<IFaceDirectory>();
        try
        {
            await directory.InitializeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new FaceLoginStartupException($"The directory ({options.Directory}) is not usable: {ex.Message}", ex);
        }

        await ExpireDeadLoginAttemptsAsync(services, directory, cancellationToken).ConfigureAwait(false);
        await WarnOfUnfinishedReindexAsync(services, cancellationToken).ConfigureAwait(false);
        if (options.Faces == FaceCollectionKind.Local)
        {
            try
            {
                await services.GetRequiredService<IFaceCollection>().EnsureCollectionAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new FaceLoginStartupException($"The local face collection is not usable: {ex.Message}", ex);
            }
        }
    }

    /// <summary>
    /// Attempts in progress older than a request can live belong to requests that died (this process's previous run, or another
    /// instance that crashed): they already count no more, and are deleted so the directory holds nothing stale. Younger ones
    /// may be another live instance's, and are left alone.
    /// </summary>
    private static async Task ExpireDeadLoginAttemptsAsync(IServiceProvider services, IFaceDirectory directory, CancellationToken cancellationToken)
    {
        var maxRequestAge = services.GetService<IOptions<AuthenticationOptions>>()?.Value.MaxRequestAge ?? new AuthenticationOptions().MaxRequestAge;
        var now = (services.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow();
        var expired = await directory.ExpireLoginAttemptsInProgressAsync(now - maxRequestAge, cancellationToken).ConfigureAwait(false);
        if (expired > 0)
        {
            services.GetService<ILoggerFactory>()?.CreateLogger(typeof(FaceLoginStartup)).LogInformation(
                "Expired {Count} sign-in attempts left in progress by requests that ended without an answer", expired);
        }
    }

    /// <summary>
    /// A re-index that was started and not finished (killed, or stopped on photos it could not re-compute) changes nothing the
    /// app serves, but its collection holds templates until it is finished or abandoned: say so, with the command.
    /// </summary>
    private static async Task WarnOfUnfinishedReindexAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (services.GetService<ICollectionGenerations>() is not { } generations)
        {
            return;
        }

        var logger = services.GetService<ILoggerFactory>()?.CreateLogger(typeof(FaceLoginStartup));
        if (await generations.GetReindexTargetAsync(cancellationToken).ConfigureAwait(false) is { } target)
        {
            logger?.LogWarning(
                "A re-index into collection {CollectionId} (model {ModelVersion}) was started on {StartedAt:u} and has not finished; "
                + "run 'reindex' to finish it", target.CollectionId, target.ModelVersion, target.StartedAt);
        }
        else if (await generations.ReadActiveGenerationAsync(cancellationToken).ConfigureAwait(false) is { PreviousGeneration: not null } active)
        {
            logger?.LogWarning(
                "The switch to collection {CollectionId} has not carried over the faces registered during the re-index yet; run 'reindex' to finish it",
                active.CollectionId);
        }
    }

    /// <summary>First, before any store writes into it (in AWS mode it still holds the cookie keys).</summary>
    private static void SecureDataFolder(string path, ILoggerFactory? loggers)
    {
        bool isPrivate;
        try
        {
            isPrivate = PrivateDataFolder.Ensure(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FaceLoginStartupException($"The data folder {path} (FaceLogin:DataPath) cannot be created: {ex.Message}", ex);
        }

        if (!isPrivate)
        {
            loggers?.CreateLogger(typeof(FaceLoginStartup)).LogWarning(
                "The data folder {DataPath} holds face photos, face templates and cookie keys, and other users of this machine may read it. "
                + "Make it private: chmod 700 {DataPath}", path, path);
        }
    }
}

/// <summary>A store the app needs is not usable at start-up.</summary>
public sealed class FaceLoginStartupException(string message, Exception innerException) : Exception(message, innerException);

/// <summary>Runs <see cref="FaceLoginStartup.InitializeAsync"/> when a host starts: the app does not accept requests until it has.</summary>
internal sealed class FaceLoginStartupService(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => FaceLoginStartup.InitializeAsync(services, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
