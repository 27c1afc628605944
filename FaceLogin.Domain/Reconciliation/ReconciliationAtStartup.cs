using FaceLogin.Domain.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaceLogin.Domain.Reconciliation;

/// <summary>
/// Repairs what a crash left (<see cref="ReconciliationService"/>) when the app starts, after the stores are opened
/// (<see cref="FaceLoginStartupService"/> is registered first) and before the first request: by default in local mode only
/// (<see cref="ReconciliationOptions.AtStartup"/>). A failure is logged and the app starts anyway: leftovers are no reason
/// to refuse sign-ins, and the next start or a <c>reconcile --repair</c> tries again.
/// </summary>
internal sealed class ReconciliationAtStartup(
    ReconciliationService reconciliation,
    IOptions<ReconciliationOptions> options,
    IOptions<FaceLoginOptions> mode,
    ILogger<ReconciliationAtStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!(options.Value.AtStartup ?? mode.Value.Directory == DirectoryKind.Sqlite))
        {
            return;
        }

        try
        {
            var report = await reconciliation.RunAsync(repair: true, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Start-up reconciliation: {Repaired} leftovers deleted, {Pending} photos waiting for their registration",
                report.Leftovers.Count(l => l.Repaired), report.PendingImages.Count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Start-up reconciliation failed; run 'reconcile --repair'");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
