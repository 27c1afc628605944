namespace FaceLogin.Web.Cli.Import;

/// <summary>A one-line progress bar on stderr (redrawn with '\r'), so stdout keeps only the summary for scripts.</summary>
public sealed class ImportProgressBar(int total, TextWriter output) : IProgress<ImportItemResult>
{
    private const int Width = 30;
    private readonly Lock _gate = new();
    private int _done;
    private int _imported;
    private int _skipped;
    private int _rejected;

    public void Report(ImportItemResult value)
    {
        lock (_gate)
        {
            _done++;
            switch (value.Outcome)
            {
                case ImportOutcome.Imported:
                    _imported++;
                    break;
                case ImportOutcome.AlreadyImported or ImportOutcome.Duplicate:
                    _skipped++;
                    break;
                default:
                    _rejected++;
                    break;
            }

            var filled = total == 0 ? Width : _done * Width / total;
            output.Write($"\r[{new string('#', filled)}{new string('.', Width - filled)}] {_done}/{total}  imported {_imported}  skipped {_skipped}  not imported {_rejected}");
        }
    }

    public void Finish()
    {
        lock (_gate)
        {
            output.WriteLine();
        }
    }
}
