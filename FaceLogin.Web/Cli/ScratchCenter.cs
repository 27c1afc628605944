using System.Numerics.Tensors;
using FaceLogin.Domain.Local.Engine;
using FaceLogin.Domain.Local.Engine.Evaluation;

namespace FaceLogin.Web.Cli;

internal static class ScratchCenter
{
    public static int Run(LocalFaceEngine engine, string dir, CliArguments arguments)
    {
        var cacheFile = arguments.Get("cache") ?? "/tmp/pipeline-scratch/embeddings.tsv";
        Dictionary<string, float[]> e;
        if (File.Exists(cacheFile))
        {
            e = File.ReadLines(cacheFile).Select(l => l.Split('\t')).ToDictionary(f => f[0], f => f[1].Split(',').Select(x => float.Parse(x, System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        }
        else
        {
            var dataset = FaceDataset.Open(dir);
            var r = new DatasetEmbedder(engine.Analyzer).EmbedAll(dataset, FaceSelection.Labelled, new ConsoleProgress("embed"), CancellationToken.None);
            e = new Dictionary<string, float[]>(r.Embeddings);
            File.WriteAllLines(cacheFile, e.Select(kv => kv.Key + "\t" + string.Join(',', kv.Value.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))));
        }

        var pairs = FaceDataset.ReadPairs(Path.Combine(dir, "pairs.tsv"));
        var images = e.Keys.Order(StringComparer.Ordinal).ToList();
        var dim = e.First().Value.Length;
        float[] Mean(IEnumerable<string> keys)
        {
            var m = new float[dim];
            var n = 0;
            foreach (var k in keys) { TensorPrimitives.Add(m, e[k], m); n++; }
            TensorPrimitives.Divide(m, n, m);
            return m;
        }

        float[] Center(float[] v, float[] mu, float alpha = 1)
        {
            var c = new float[dim];
            for (var i = 0; i < dim; i++) c[i] = v[i] - alpha * mu[i];
            TensorPrimitives.Divide(c, TensorPrimitives.Norm(c), c);
            return c;
        }

        void Report(string name, Func<string, float[]> map)
        {
            var m = images.ToDictionary(k => k, map);
            var (v, _) = DatasetEvaluator.Verify(pairs, m);
            var (a, _) = DatasetEvaluator.AllPairs(images, m, Domain.Faces.SimilarityScale.Default);
            Console.WriteLine($"{name,-36} acc {v.Accuracy * 100:0.00} ± {v.AccuracyStd * 100:0.00} EER {v.Eer * 100:0.00} TAR@1e-3 {v.TarAtFar1e3:0.000} | all: TAR@1e-3 {a.TarAtFar1e3:0.000} TAR@1e-4 {a.TarAtFar1e4:0.000} thr {a.ThresholdAtFar1e4:0.000} EER {a.Eer * 100:0.00} imp {a.ImpostorMean:0.000}±{a.ImpostorStd:0.000}");
        }

        var muAll = Mean(images);
        Console.WriteLine($"|mean| = {TensorPrimitives.Norm(muAll):0.000}");
        Report("plain", k => e[k]);
        foreach (var alpha in new[] { 0.5f, 0.8f, 1f })
        {
            Report($"centred (all) alpha {alpha}", k => Center(e[k], muAll, alpha));
        }

        // Cross-validated: the mean from one half of the identities applied to the other half.
        var ids = images.Select(FaceDataset.IdentityOf).Distinct().Order(StringComparer.Ordinal).ToList();
        var even = ids.Where((_, i) => i % 2 == 0).ToHashSet();
        var muEven = Mean(images.Where(k => even.Contains(FaceDataset.IdentityOf(k))));
        var muOdd = Mean(images.Where(k => !even.Contains(FaceDataset.IdentityOf(k))));
        Report("centred (other half's mean)", k => Center(e[k], even.Contains(FaceDataset.IdentityOf(k)) ? muOdd : muEven));
        Console.WriteLine($"cos(muEven, muOdd) = {TensorPrimitives.CosineSimilarity(muEven, muOdd):0.0000}");
        return 0;
    }
}
