using System.Globalization;
using System.Security;
using System.Text;

namespace FaceLogin.Domain.Local.Engine.Evaluation;

/// <summary>
/// An ROC curve as a self-contained SVG: true accept rate against false accept rate on a log axis, one curve per score
/// set, with the usual operating points (FAR 1e-2, 1e-3, 1e-4, the EER and the product's threshold) marked and labelled.
/// </summary>
public static class RocChart
{
    public sealed record Curve(string Label, ScoreDistribution Scores);

    private const int Width = 980;
    private const int Height = 540;
    private const int Left = 80;
    private const int Right = 330;
    private const int Top = 50;
    private const int Bottom = 70;
    private static readonly string[] Colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"];

    /// <param name="markedThreshold">A cosine threshold to mark on every curve (the product's default), or null.</param>
    public static string Render(string title, IReadOnlyList<Curve> curves, float? markedThreshold, string? markedThresholdLabel)
    {
        var minLogFar = Math.Floor(Math.Log10(1.0 / curves.Max(c => c.Scores.ImpostorCount)));
        minLogFar = Math.Max(minLogFar, -6);
        // The axis reaches down to the marked threshold's TAR too, so a strict threshold's point is drawn where it is, not pinned to the edge.
        var lowestTar = curves.Min(c => Math.Min(
            c.Scores.TrueAcceptRateAtFar(Math.Pow(10, minLogFar)),
            markedThreshold is { } marked ? c.Scores.TrueAcceptRate(marked) : 1));
        var minTar = Math.Max(0, Math.Floor((lowestTar - 0.02) * 20) / 20);
        double X(double far) => Left + (Math.Log10(Math.Max(far, Math.Pow(10, minLogFar))) - minLogFar) / -minLogFar * PlotWidth;
        double Y(double tar) => Top + (1 - (tar - minTar) / (1 - minTar)) * PlotHeight;

        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(Invariant($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n"));
        svg.Append(Invariant($"<text x=\"{Left}\" y=\"28\" font-size=\"16\" font-weight=\"bold\">{Escape(title)}</text>\n"));

        // Grid and ticks.
        for (var decade = (int)minLogFar; decade <= 0; decade++)
        {
            var x = X(Math.Pow(10, decade));
            svg.Append(Invariant($"<line x1=\"{x:0.#}\" y1=\"{Top}\" x2=\"{x:0.#}\" y2=\"{Top + PlotHeight}\" stroke=\"#ddd\"/>\n"));
            var label = decade == 0 ? "1" : Invariant($"1e{decade}");
            svg.Append(Invariant($"<text x=\"{x:0.#}\" y=\"{Top + PlotHeight + 18}\" text-anchor=\"middle\">{label}</text>\n"));
        }

        var step = 1 - minTar > 0.3 ? 0.1 : 0.05;
        for (var tar = 1.0; tar >= minTar - 1e-9; tar -= step)
        {
            var y = Y(tar);
            svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{y:0.#}\" x2=\"{Left + PlotWidth}\" y2=\"{y:0.#}\" stroke=\"#ddd\"/>\n"));
            svg.Append(Invariant($"<text x=\"{Left - 8}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{tar:0.00}</text>\n"));
        }

        svg.Append(Invariant($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{PlotWidth}\" height=\"{PlotHeight}\" fill=\"none\" stroke=\"#333\"/>\n"));
        svg.Append(Invariant($"<text x=\"{Left + PlotWidth / 2}\" y=\"{Height - 22}\" text-anchor=\"middle\">False accept rate: share of impostor pairs accepted (log scale)</text>\n"));
        svg.Append(Invariant($"<text transform=\"translate(22 {Top + PlotHeight / 2}) rotate(-90)\" text-anchor=\"middle\">True accept rate: share of genuine pairs accepted</text>\n"));

        var legendY = Top + 10;
        for (var i = 0; i < curves.Count; i++)
        {
            var curve = curves[i];
            var colour = Colours[i % Colours.Length];
            var points = curve.Scores.RocPoints(Math.Pow(10, minLogFar))
                .Select(p => Invariant($"{X(p.Far):0.#},{Y(Math.Max(p.Tar, minTar)):0.#}"));
            svg.Append(Invariant($"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{string.Join(' ', points)}\"/>\n"));

            var legendX = Left + PlotWidth + 16;
            svg.Append(Invariant($"<line x1=\"{legendX}\" y1=\"{legendY}\" x2=\"{legendX + 20}\" y2=\"{legendY}\" stroke=\"{colour}\" stroke-width=\"3\"/>\n"));
            svg.Append(Invariant($"<text x=\"{legendX + 26}\" y=\"{legendY + 4}\" font-weight=\"bold\">{Escape(curve.Label)}</text>\n"));
            legendY += 18;
            svg.Append(Invariant($"<text x=\"{legendX + 26}\" y=\"{legendY + 4}\">{curve.Scores.GenuineCount:N0} genuine, {curve.Scores.ImpostorCount:N0} impostor</text>\n"));
            legendY += 18;

            foreach (var far in new[] { 1e-2, 1e-3, 1e-4 })
            {
                if (far * curve.Scores.ImpostorCount < 1 - 1e-9)
                {
                    continue;
                }

                var t = curve.Scores.ThresholdAtFar(far);
                var tar = curve.Scores.TrueAcceptRate(t);
                var actualFar = curve.Scores.FalseAcceptRate(t);
                svg.Append(Invariant($"<circle cx=\"{X(Math.Max(actualFar, far / 10)):0.#}\" cy=\"{Y(Math.Max(tar, minTar)):0.#}\" r=\"4\" fill=\"{colour}\"/>\n"));
                svg.Append(Invariant($"<text x=\"{legendX + 26}\" y=\"{legendY + 4}\">TAR {tar:0.000} at FAR {far:0e0} (cos ≥ {t:0.000})</text>\n"));
                legendY += 16;
            }

            var (eer, eerThreshold) = curve.Scores.EqualErrorRate();
            svg.Append(Invariant($"<rect x=\"{X(eer) - 4:0.#}\" y=\"{Y(Math.Max(1 - eer, minTar)) - 4:0.#}\" width=\"8\" height=\"8\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>\n"));
            svg.Append(Invariant($"<text x=\"{legendX + 26}\" y=\"{legendY + 4}\">EER {eer * 100:0.00} % (□, cos {eerThreshold:0.000})</text>\n"));
            legendY += 16;

            if (markedThreshold is { } threshold)
            {
                var far = curve.Scores.FalseAcceptRate(threshold);
                var tar = curve.Scores.TrueAcceptRate(threshold);
                // No impostor accepted: the curve cannot resolve FAR below 1/N, so the marker sits there and says "<".
                var resolution = 1.0 / curve.Scores.ImpostorCount;
                var x = X(Math.Max(far, resolution));
                var y = Y(Math.Max(tar, minTar));
                var farText = far > 0 ? Invariant($"{far:0.0e0}") : Invariant($"< {resolution:0e0}");
                svg.Append(Invariant($"<path d=\"M{x:0.#},{y - 7:0.#} L{x + 7:0.#},{y:0.#} L{x:0.#},{y + 7:0.#} L{x - 7:0.#},{y:0.#} Z\" fill=\"none\" stroke=\"black\" stroke-width=\"2\"/>\n"));
                svg.Append(Invariant($"<text x=\"{legendX + 26}\" y=\"{legendY + 4}\">◇ {Escape(markedThresholdLabel ?? "threshold")}:</text>\n"));
                legendY += 16;
                svg.Append(Invariant($"<text x=\"{legendX + 38}\" y=\"{legendY + 4}\">TAR {tar:0.000} at FAR {Escape(farText)}</text>\n"));
                legendY += 16;
            }

            legendY += 12;
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static int PlotWidth => Width - Left - Right;

    private static int PlotHeight => Height - Top - Bottom;

    private static string Escape(string text) => SecurityElement.Escape(text) ?? string.Empty;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
