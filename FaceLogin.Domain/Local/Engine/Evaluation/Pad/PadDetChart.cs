using System.Globalization;
using System.Security;
using System.Text;

namespace FaceLogin.Domain.Local.Engine.Evaluation.Pad;

/// <summary>
/// A DET-style chart of a passive score as a self-contained SVG: for every threshold, APCER (share of a species' attacks
/// scoring at or above it, accepted) against BPCER (share of bona fide presentations scoring below it, refused), one curve
/// per attack species, the configured threshold marked on each. Linear axes: PAD sets are small, and a probit or log axis
/// would only stretch a handful of steps.
/// </summary>
public static class PadDetChart
{
    public sealed record Species(string Label, IReadOnlyList<float> Scores);

    private const int Width = 900;
    private const int Height = 560;
    private const int Left = 70;
    private const int Top = 50;
    private const int Plot = 440;
    private static readonly string[] Colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];

    /// <summary>Each species' curve as (threshold, APCER, BPCER), thresholds from below every score to above every score.</summary>
    public static IReadOnlyList<(float Threshold, double Apcer, double Bpcer)> Curve(IReadOnlyList<float> bonaFide, IReadOnlyList<float> attacks)
    {
        var thresholds = bonaFide.Concat(attacks).Distinct().Order().Append(float.PositiveInfinity).Prepend(float.NegativeInfinity);
        return [.. thresholds.Select(t => (t, Share(attacks, s => s >= t), Share(bonaFide, s => s < t)))];
    }

    public static string Render(string title, IReadOnlyList<float> bonaFide, IReadOnlyList<Species> species, float threshold)
    {
        double X(double apcer) => Left + (apcer * Plot);
        double Y(double bpcer) => Top + ((1 - bpcer) * Plot);
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(Invariant($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n"));
        svg.Append(Invariant($"<text x=\"{Left}\" y=\"28\" font-size=\"16\" font-weight=\"bold\">{Escape(title)}</text>\n"));
        for (var tick = 0; tick <= 10; tick += 2)
        {
            var v = tick / 10.0;
            svg.Append(Invariant($"<line x1=\"{X(v):0.#}\" y1=\"{Top}\" x2=\"{X(v):0.#}\" y2=\"{Top + Plot}\" stroke=\"#ddd\"/>\n"));
            svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{Y(v):0.#}\" x2=\"{Left + Plot}\" y2=\"{Y(v):0.#}\" stroke=\"#ddd\"/>\n"));
            svg.Append(Invariant($"<text x=\"{X(v):0.#}\" y=\"{Top + Plot + 18}\" text-anchor=\"middle\">{v:0.0}</text>\n"));
            svg.Append(Invariant($"<text x=\"{Left - 8}\" y=\"{Y(v) + 4:0.#}\" text-anchor=\"end\">{v:0.0}</text>\n"));
        }

        svg.Append(Invariant($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Plot}\" height=\"{Plot}\" fill=\"none\" stroke=\"#333\"/>\n"));
        svg.Append(Invariant($"<text x=\"{Left + (Plot / 2)}\" y=\"{Top + Plot + 40}\" text-anchor=\"middle\">APCER: share of the species' attacks accepted (score ≥ threshold)</text>\n"));
        svg.Append(Invariant($"<text transform=\"translate(22 {Top + (Plot / 2)}) rotate(-90)\" text-anchor=\"middle\">BPCER: share of bona fide refused (score &lt; threshold)</text>\n"));

        var legendX = Left + Plot + 24;
        var legendY = Top + 10;
        svg.Append(Invariant($"<text x=\"{legendX}\" y=\"{legendY}\">{bonaFide.Count} bona fide; ◇ threshold {threshold:0.###}</text>\n"));
        legendY += 22;
        if (bonaFide.Count == 0)
        {
            svg.Append(Invariant($"<text x=\"{legendX}\" y=\"{legendY}\">No bona fide presentation: BPCER is undefined, no curve.</text>\n"));
        }

        for (var i = 0; i < species.Count && bonaFide.Count > 0; i++)
        {
            var s = species[i];
            if (s.Scores.Count == 0)
            {
                continue;
            }

            var colour = Colours[i % Colours.Length];
            var points = Curve(bonaFide, s.Scores).Select(p => Invariant($"{X(p.Apcer):0.#},{Y(p.Bpcer):0.#}"));
            svg.Append(Invariant($"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{string.Join(' ', points)}\"/>\n"));
            var apcer = Share(s.Scores, v => v >= threshold);
            var bpcer = Share(bonaFide, v => v < threshold);
            var (x, y) = (X(apcer), Y(bpcer));
            svg.Append(Invariant($"<path d=\"M{x:0.#},{y - 7:0.#} L{x + 7:0.#},{y:0.#} L{x:0.#},{y + 7:0.#} L{x - 7:0.#},{y:0.#} Z\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>\n"));
            svg.Append(Invariant($"<line x1=\"{legendX}\" y1=\"{legendY}\" x2=\"{legendX + 20}\" y2=\"{legendY}\" stroke=\"{colour}\" stroke-width=\"3\"/>\n"));
            svg.Append(Invariant($"<text x=\"{legendX + 26}\" y=\"{legendY + 4}\" font-weight=\"bold\">{Escape(s.Label)} ({s.Scores.Count})</text>\n"));
            legendY += 16;
            svg.Append(Invariant($"<text x=\"{legendX + 26}\" y=\"{legendY + 4}\">APCER {apcer:0.000} at BPCER {bpcer:0.000}</text>\n"));
            legendY += 24;
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static double Share(IReadOnlyList<float> scores, Func<float, bool> counted) =>
        scores.Count == 0 ? 0 : scores.Count(counted) / (double)scores.Count;

    private static string Escape(string text) => SecurityElement.Escape(text) ?? string.Empty;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
