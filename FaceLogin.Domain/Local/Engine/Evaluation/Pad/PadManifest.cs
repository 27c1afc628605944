using System.Globalization;
using FaceLogin.Domain.Faces.Liveness;

namespace FaceLogin.Domain.Local.Engine.Evaluation.Pad;

/// <summary>
/// The presentations <c>evaluate-pad</c> judges: a tab-separated file with a header naming its columns (docs/liveness.md,
/// "Measured: evaluate-pad"). <c>path</c> and <c>label</c> are required; <c>challenge</c>, <c>start</c> and <c>segments</c>
/// are optional. Lines starting with <c>#</c> and blank lines are skipped, so a manifest can explain itself.
/// </summary>
public static class PadManifest
{
    public const string FileName = "manifest.tsv";

    /// <summary>The label of a live person; every other label is an attack species.</summary>
    public const string BonaFide = "bona_fide";

    private static readonly string[] Known = ["path", "label", "challenge", "start", "segments"];

    /// <exception cref="InvalidDataException">A missing column, an unknown one, or a cell that does not parse; the message names the line.</exception>
    public static IReadOnlyList<PadManifestRow> Read(string manifestPath)
    {
        var lines = File.ReadAllLines(manifestPath);
        var header = -1;
        Dictionary<string, int>? columns = null;
        var rows = new List<PadManifestRow>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var cells = line.Split('\t');
            if (columns is null)
            {
                header = i;
                columns = ReadHeader(cells, manifestPath);
                continue;
            }

            string? Cell(string name) =>
                columns.TryGetValue(name, out var index) && index < cells.Length && cells[index].Trim() is { Length: > 0 } value ? value : null;

            var where = $"{Path.GetFileName(manifestPath)} line {i + 1}";
            var path = Cell("path") ?? throw new InvalidDataException($"{where}: the path is empty.");
            var label = Cell("label") ?? throw new InvalidDataException($"{where}: the label is empty.");
            rows.Add(new PadManifestRow(
                path,
                label,
                Cell("challenge") is { } challenge ? PadChallengeSpec.Parse(challenge, where) : null,
                Cell("start") is { } start ? Seconds(start, where, "start") : null,
                Cell("segments") is { } segments ? ParseSegments(segments, where) : []));
        }

        return header < 0 ? throw new InvalidDataException($"{manifestPath} has no header line (path, label, …).") : rows;
    }

    private static Dictionary<string, int> ReadHeader(string[] cells, string manifestPath)
    {
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var c = 0; c < cells.Length; c++)
        {
            var name = cells[c].Trim();
            if (!Known.Contains(name, StringComparer.Ordinal))
            {
                throw new InvalidDataException($"{Path.GetFileName(manifestPath)}: unknown column '{name}' (known: {string.Join(", ", Known)}).");
            }

            columns[name] = c;
        }

        return columns.ContainsKey("path") && columns.ContainsKey("label")
            ? columns
            : throw new InvalidDataException($"{Path.GetFileName(manifestPath)}: the header must name the columns path and label.");
    }

    /// <summary><c>from-to</c> seconds, comma-separated: the parts of a clip played one after the other (an edited clip).</summary>
    private static IReadOnlyList<ClipSegment> ParseSegments(string text, string where) =>
        [.. text.Split(',').Select(part =>
        {
            var bounds = part.Split('-');
            if (bounds.Length != 2)
            {
                throw new InvalidDataException($"{where}: segment '{part}' is not from-to in seconds (e.g. 1.6-2.8).");
            }

            var segment = new ClipSegment(Seconds(bounds[0], where, "segments"), Seconds(bounds[1], where, "segments"));
            return segment.To > segment.From ? segment : throw new InvalidDataException($"{where}: segment '{part}' ends before it begins.");
        })];

    internal static double Seconds(string text, string where, string column) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && double.IsFinite(value)
            ? value
            : throw new InvalidDataException($"{where}: {column} '{text}' is not a number of seconds.");
}

/// <param name="Path">A clip, a folder of frames or a still image, relative to the dataset folder.</param>
/// <param name="Label"><see cref="PadManifest.BonaFide"/> or an attack species (any other string).</param>
/// <param name="Challenge">The steps the presentation answers; null: judged against every challenge the server can issue.</param>
/// <param name="StartSeconds">Where the burst begins on the presentation's timeline; null: at 0, or the look phase before the first timed step.</param>
/// <param name="Segments">The parts of the clip that make its timeline, in order; empty: the whole clip.</param>
public sealed record PadManifestRow(string Path, string Label, PadChallengeSpec? Challenge, double? StartSeconds, IReadOnlyList<ClipSegment> Segments)
{
    public bool IsBonaFide => string.Equals(Label, PadManifest.BonaFide, StringComparison.Ordinal);
}

/// <summary>A part of a clip, in seconds of the clip.</summary>
public readonly record struct ClipSegment(double From, double To)
{
    public double Length => To - From;
}

/// <summary>
/// A manifest's challenge: <c>TurnLeft,TurnRight</c> (shown at the page's own times after the burst's start) or
/// <c>TurnLeft@2.0,TurnRight@3.2</c> (each step shown at that second of the presentation's timeline).
/// </summary>
/// <param name="ShownAtSeconds">When each step was shown, or null for the page's timing.</param>
public sealed record PadChallengeSpec(IReadOnlyList<HeadMovement> Steps, IReadOnlyList<double>? ShownAtSeconds)
{
    /// <summary>Every challenge <see cref="HeadMovementChallengeFactory"/> can issue: two or three alternating steps.</summary>
    public static IReadOnlyList<PadChallengeSpec> EveryIssuable { get; } =
    [
        new([HeadMovement.TurnLeft, HeadMovement.TurnRight], null),
        new([HeadMovement.TurnRight, HeadMovement.TurnLeft], null),
        new([HeadMovement.TurnLeft, HeadMovement.TurnRight, HeadMovement.TurnLeft], null),
        new([HeadMovement.TurnRight, HeadMovement.TurnLeft, HeadMovement.TurnRight], null),
    ];

    public static PadChallengeSpec Parse(string text, string where)
    {
        var steps = new List<HeadMovement>();
        var times = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var at = part.IndexOf('@', StringComparison.Ordinal);
            var name = at < 0 ? part : part[..at];
            if (!Enum.TryParse<HeadMovement>(name, ignoreCase: false, out var step) || !Enum.IsDefined(step))
            {
                throw new InvalidDataException($"{where}: challenge step '{name}' is not one of {string.Join(", ", Enum.GetNames<HeadMovement>())}.");
            }

            steps.Add(step);
            if (at >= 0)
            {
                times.Add(PadManifest.Seconds(part[(at + 1)..], where, "challenge"));
            }
        }

        if (times.Count != 0 && times.Count != steps.Count)
        {
            throw new InvalidDataException($"{where}: challenge '{text}' gives a time to some steps only (all or none).");
        }

        return new PadChallengeSpec(steps, times.Count == 0 ? null : times);
    }

    public override string ToString() => ShownAtSeconds is null
        ? string.Join(',', Steps)
        : string.Join(',', Steps.Select((s, i) => string.Create(CultureInfo.InvariantCulture, $"{s}@{ShownAtSeconds[i]:0.###}")));
}
