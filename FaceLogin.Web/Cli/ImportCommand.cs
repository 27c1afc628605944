using FaceLogin.Web.Cli.Import;

namespace FaceLogin.Web.Cli;

/// <summary>
/// <c>import DIR [--csv FILE] [--parallel N]</c>: bulk registration, as the seed's upload script did, in whichever mode is
/// configured. Photos come from <c>DIR/Full_Name/*.jpg</c> (one folder per person) or from a CSV of
/// <c>file,full name[,id]</c> (the id, when given, tells apart people who share a name). Progress goes to stderr, the
/// summary to stdout; a second run skips everything imported. The operator asserts that the people imported consented
/// (recorded as <c>import:date</c>).
/// </summary>
public sealed class ImportCommand(IServiceProvider services) : ICliCommand
{
    public string Name => "import";

    public string Summary => "register photos in bulk: DIR/Full_Name/*.jpg or --csv FILE (file,full name[,id]) [--parallel N]";

    public async Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var root = arguments.Positionals.FirstOrDefault() ?? throw new CliUsageException("DIR is required.");
        if (!Directory.Exists(root))
        {
            throw new CliUsageException($"'{root}' is not a folder.");
        }

        var parallelism = arguments.GetInt("parallel", 2);
        if (parallelism is < 1 or > 32)
        {
            throw new CliUsageException("--parallel must be between 1 and 32.");
        }

        var entries = arguments.Get("csv") is { } csv ? ImportSource.FromCsv(root, csv) : ImportSource.FromFolders(root);
        if (entries.Count == 0)
        {
            await Console.Out.WriteLineAsync("Nothing to import: no DIR/Full_Name/*.jpg|*.jpeg|*.png files (or an empty CSV).");
            return 0;
        }

        var importer = ActivatorUtilities.CreateInstance<FaceImporter>(services);
        var bar = new ImportProgressBar(entries.Count, Console.Error);
        var summary = await importer.ImportAsync(entries, parallelism, bar, cancellationToken);
        bar.Finish();

        await Console.Out.WriteLineAsync(
            $"imported {summary.Count(ImportOutcome.Imported)}, skipped {summary.Count(ImportOutcome.AlreadyImported)} already imported " +
            $"and {summary.Count(ImportOutcome.Duplicate)} duplicate, rejected {summary.Count(ImportOutcome.Rejected)}, failed {summary.Count(ImportOutcome.Failed)} " +
            $"(of {entries.Count}); {summary.Warnings.Count()} to check");
        foreach (var item in summary.Items.Where(i => i.Outcome is ImportOutcome.Rejected or ImportOutcome.Duplicate or ImportOutcome.Failed))
        {
            await Console.Out.WriteLineAsync($"  {item.Outcome.ToString().ToLowerInvariant(),-9} {item.Entry.RelativePath}: {item.Reason}");
        }

        foreach (var item in summary.Warnings)
        {
            await Console.Out.WriteLineAsync($"  {"check",-9} {item.Entry.RelativePath}: {item.Warning}");
        }

        return summary.Count(ImportOutcome.Failed) > 0 ? 1 : 0;
    }
}
