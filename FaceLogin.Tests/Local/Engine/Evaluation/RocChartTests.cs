using System.Xml.Linq;
using FaceLogin.Domain.Local.Engine.Evaluation;

namespace FaceLogin.Tests.Local.Engine.Evaluation;

public sealed class RocChartTests
{
    [Fact]
    public void The_chart_is_svg_with_labelled_axes_a_curve_per_set_and_marked_operating_points()
    {
        var random = new Random(5);
        var genuine = Enumerable.Range(0, 1000).Select(_ => (float)(0.6 + random.NextDouble() * 0.4)).ToArray();
        var impostor = Enumerable.Range(0, 20_000).Select(_ => (float)(random.NextDouble() * 0.7)).ToArray();
        var curves = new[] { new RocChart.Curve("pairs.tsv", new ScoreDistribution(genuine, impostor)) };

        var svg = XDocument.Parse(RocChart.Render("dlib <test>", curves, 0.65f, "default threshold"));

        XNamespace ns = "http://www.w3.org/2000/svg";
        var texts = svg.Descendants(ns + "text").Select(t => t.Value).ToList();
        Assert.Contains(texts, t => t.StartsWith("False accept rate", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.StartsWith("True accept rate", StringComparison.Ordinal));
        Assert.Contains("dlib <test>", texts);
        Assert.Contains(texts, t => t.Contains("at FAR 1e-4", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.StartsWith("EER", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("default threshold", StringComparison.Ordinal));
        Assert.Single(svg.Descendants(ns + "polyline"));
        Assert.Equal(3, svg.Descendants(ns + "circle").Count());
    }

    [Fact]
    public void A_threshold_above_every_impostor_is_marked_at_the_curves_resolution_and_the_svg_stays_valid()
    {
        var scores = new ScoreDistribution([0.9f, 0.95f, 0.99f], [0.1f, 0.2f, 0.3f, 0.4f]);

        var svg = XDocument.Parse(RocChart.Render("t", [new RocChart.Curve("few", scores)], 0.92f, "strict"));

        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Contains(svg.Descendants(ns + "text"), t => t.Value == "TAR 0.667 at FAR < 2e-1" || t.Value == "TAR 0.667 at FAR < 3e-1");
    }

    [Fact]
    public void The_tar_axis_reaches_down_to_a_strict_marked_threshold()
    {
        // Every genuine score is above every impostor, so the curve alone would span TAR 0.95..1; the threshold accepts half.
        var genuine = Enumerable.Range(0, 100).Select(i => 0.5f + i * 0.005f).ToArray();
        var impostor = Enumerable.Range(0, 1000).Select(i => i * 0.0004f).ToArray();

        var svg = XDocument.Parse(RocChart.Render("t", [new RocChart.Curve("c", new ScoreDistribution(genuine, impostor))], 0.75f, "strict"));

        XNamespace ns = "http://www.w3.org/2000/svg";
        var tarTicks = svg.Descendants(ns + "text").Where(t => (string?)t.Attribute("text-anchor") == "end")
            .Select(t => double.Parse(t.Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Contains(svg.Descendants(ns + "text"), t => t.Value.StartsWith("TAR 0.500 at FAR", StringComparison.Ordinal));
        Assert.True(tarTicks.Min() <= 0.5, $"the TAR axis starts at {tarTicks.Min():0.00}, above the marked point's 0.500");
    }
}
