using System.Diagnostics;
using System.Globalization;
using FaceLogin.Domain.Reindexing;

namespace FaceLogin.Web.Cli.Reindex;

/// <summary>
/// A one-line progress bar on stderr (redrawn with '\r'): faces done of the phase's total, failures, the rate over the phase
/// so far and the time left at that rate. stdout keeps only the summary.
/// </summary>
public sealed class ReindexProgressBar(TextWriter output, TimeProvider time) : IProgress<ReindexProgress>
{
    private const int Width = 30;
    private readonly Lock _gate = new();
    private ReindexPhase? _phase;
    private long _phaseStart;
    private bool _drawn;

    public void Report(ReindexProgress value)
    {
        lock (_gate)
        {
            if (_phase != value.Phase)
            {
                FinishLine();
                _phase = value.Phase;
                _phaseStart = time.GetTimestamp();
            }

            var elapsed = time.GetElapsedTime(_phaseStart).TotalSeconds;
            // Under a second the rate is mostly start-up noise.
            var rate = elapsed >= 1 ? value.Done / elapsed : 0;
            var left = rate > 0 ? TimeSpan.FromSeconds((value.Total - value.Done) / rate) : (TimeSpan?)null;
            var filled = value.Total == 0 ? Width : value.Done * Width / value.Total;
            var label = value.Phase == ReindexPhase.Computing ? "re-computing" : "catching up";
            output.Write(string.Create(CultureInfo.InvariantCulture,
                $"\r{label} [{new string('#', filled)}{new string('.', Width - filled)}] {value.Done}/{value.Total}  failed {value.Failed}  {rate:0.0} faces/s  ETA {Format(left)}   "));
            _drawn = true;
        }
    }

    public void Finish()
    {
        lock (_gate)
        {
            FinishLine();
        }
    }

    private void FinishLine()
    {
        if (_drawn)
        {
            output.WriteLine();
            _drawn = false;
        }
    }

    private static string Format(TimeSpan? left) => left switch
    {
        null => "--:--",
        { TotalHours: >= 1 } t => t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture),
        { } t => t.ToString(@"m\:ss", CultureInfo.InvariantCulture),
    };
}
