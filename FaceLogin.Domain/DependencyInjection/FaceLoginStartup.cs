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

    /// <summary>
    /// Why the configured data folder cannot serve the app, in one paragraph for the person starting it (which folder, why,
    /// what to do), or null when it can be created and written. The web app asks before its host starts, so a read-only folder
    /// ends the process with this paragraph and exit code 1 instead of a store's stack trace.
    /// </summary>
    public static string? DataFolderProblem(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var path = services.GetRequiredService<IOptions<FaceLoginOptions>>().Value.ResolveDataPath();
        try
        {
            PrivateDataFolder.Ensure(path);
            return PrivateDataFolder.WhyNotWritable(path) is { } reason ? DataFolderParagraph(path, reason) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return DataFolderParagraph(path, ex.Message);
        }
    }

    private static string DataFolderParagraph(string path, string reason) =>
        $"FaceLogin cannot start: its data folder {path} (setting FaceLogin:DataPath) cannot be written by user "
        + $"'{Environment.UserName}' ({reason}). The app keeps its database, the face photos and the cookie keys there, so it "
        + $"must be able to create and write files in it. Give that user write access to the folder (for example: chown "
        + $"{Environment.UserName} {path} && chmod 700 {path}), move it off a read-only file system, or set FaceLogin:DataPath "
        + "(environment variable FaceLogin__DataPath) to a folder it may write; then start the app again.";

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
            throw new FaceLoginStartupException(DataFolderParagraph(path, ex.Message), ex);
        }

        if (PrivateDataFolder.WhyNotWritable(path) is { } notWritable)
        {
            throw new FaceLoginStartupException(DataFolderParagraph(path, notWritable), null);
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
public sealed class FaceLoginStartupException(string message, Exception? innerException) : Exception(message, innerException);

/// <summary>Runs <see cref="FaceLoginStartup.InitializeAsync"/> when a host starts: the app does not accept requests until it has.</summary>
internal sealed class FaceLoginStartupService(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => FaceLoginStartup.InitializeAsync(services, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
