using System.Globalization;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Reindexing;
using FaceLogin.Web.Cli.Reindex;

namespace FaceLogin.Web.Cli;

/// <summary>
/// <c>reindex [--dry-run] [--delete-old] [--skip-failed]</c>: re-computes every registered face from its stored photo with
/// the configured model into a new collection, then switches to it atomically (<see cref="CollectionReindexer"/>). Run it
/// after changing the face model (the app refuses to start until then). Resumable: after a kill, run it again. Progress
/// on stderr, the summary on stdout. Exit code 0 when the active collection has the configured model at the end (or for a
/// dry run), 1 when some photos could not be re-computed (nothing switched unless --skip-failed), 2 for usage or set-up errors.
/// </summary>
public sealed class ReindexCommand(IServiceProvider services) : ICliCommand
{
    public string Name => "reindex";

    public string Summary => "[--dry-run] [--delete-old] [--skip-failed]: re-compute every face with the configured model into a new collection and switch to it";

    public async Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var options = new ReindexOptions(arguments.HasFlag("dry-run"), arguments.HasFlag("delete-old"), arguments.HasFlag("skip-failed"));
        // The directory only: the full start-up would open the served collection, which refuses a model mismatch, the very
        // thing this command is here to fix.
        await services.GetRequiredService<IFaceDirectory>().InitializeAsync(cancellationToken);
        if (services.GetService<ICollectionGenerations>() is null)
        {
            throw new CliUsageException($"the configured directory ({services.GetRequiredService<IFaceDirectory>().GetType().Name}) keeps no collection generations.");
        }

        var reindexer = ActivatorUtilities.CreateInstance<CollectionReindexer>(services);
        var bar = new ReindexProgressBar(Console.Error, TimeProvider.System);
        ReindexReport report;
        try
        {
            report = await reindexer.RunAsync(options, bar, cancellationToken);
        }
        catch (TimeoutException ex)
        {
            bar.Finish();
            await Console.Error.WriteLineAsync($"reindex: {ex.Message}");
            return 2;
        }

        bar.Finish();
        foreach (var line in Describe(report))
        {
            await Console.Out.WriteLineAsync(line);
        }

        return report.Outcome == ReindexOutcome.Stopped ? 1 : 0;
    }

    internal static IEnumerable<string> Describe(ReindexReport r)
    {
        var from = $"{r.FromCollection} ({r.FromModel ?? "no faces yet"})";
        var to = $"{r.ToCollection} ({r.ToModel ?? "model chosen by the service"})";
        yield return r.Outcome switch
        {
            ReindexOutcome.UpToDate => $"up to date: {from} already uses the configured model; {r.Faces} faces, nothing to re-compute",
            ReindexOutcome.DryRun when r.FromCollection == r.ToCollection => $"dry run: {from} already uses the configured model; nothing to re-compute",
            ReindexOutcome.DryRun when r.ToModel is null =>
                $"dry run: the face service gives a new collection its newest model, which only making one shows; reindex makes {r.ToCollection} " +
                $"and, if its model is not {r.FromModel ?? "the active one's"}, re-computes {r.Faces - r.AlreadyDone} of {r.Faces} faces into it and switches, else deletes it and changes nothing",
            ReindexOutcome.DryRun => $"dry run: would re-compute {r.Faces - r.AlreadyDone} of {r.Faces} faces ({r.AlreadyDone} done by an earlier run) from {from} into {to}, then switch to it",
            ReindexOutcome.Switched => $"switched: {to} is active; {r.Computed} faces re-computed, {r.AlreadyDone} done by an earlier run, {r.CaughtUp} registered meanwhile carried over",
            _ => $"stopped: {r.Failures.Count} photos could not be re-computed into {to}; {from} stays active (fix them or run again with --skip-failed)",
        };
        if (r.OrphansRemoved > 0)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"removed {r.OrphansRemoved} faces an interrupted run had indexed without recording");
        }

        foreach (var failure in r.Failures)
        {
            yield return $"  failed  {failure.ImageKey} (person {failure.PersonId}): {failure.Reason}";
        }

        foreach (var deleted in r.DeletedCollections)
        {
            yield return $"deleted old collection {deleted}";
        }

        foreach (var retained in r.RetainedCollections)
        {
            yield return $"kept old collection {retained} (delete it with: reindex --delete-old)";
        }
    }
}
