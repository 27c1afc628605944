using System.Diagnostics;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine.Alignment;
using FaceLogin.Domain.Local.Engine.Embedding;
using FaceLogin.Domain.Local.Engine.Imaging;
using FaceLogin.Domain.Local.Engine.Landmarks;
using FaceLogin.Domain.Local.Engine.Models;
using FaceLogin.Domain.Local.Engine.Onnx;

namespace FaceLogin.Domain.Local.Engine.Evaluation;

public sealed record Percentiles(double Median, double P95, double Mean, int Samples)
{
    public static Percentiles Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return new Percentiles(
            DatasetEvaluator.Percentile(sorted, 0.5),
            DatasetEvaluator.Percentile(sorted, 0.95),
            sorted.Length == 0 ? double.NaN : sorted.Average(),
            sorted.Length);
    }
}

/// <param name="Stages">Per image, ms: decode, detect (both passes), landmarks, quality, align, embed (the largest face).</param>
/// <param name="InferenceInPipeline">Per image, ms spent inside ONNX Runtime during that same analysis.</param>
/// <param name="PipelineOverInference">Median end to end ÷ median inference in the pipeline.</param>
/// <param name="Models">
/// Each model's Run alone on a real input, repeated: the cost of inference with nothing around it. Both recognisers are timed
/// whichever is configured (<c>dlibResnet</c>, <c>mobileFaceNet</c>, each also <c>…WithFlip</c>: the chip and its mirror in
/// one batch); <c>landmark68</c> is the configured landmark net.
/// </param>
public sealed record PipelineBenchmarkReport(
    string Model,
    string Dataset,
    int Images,
    int ImagesWithoutFace,
    int IntraOpThreads,
    IReadOnlyDictionary<string, Percentiles> Stages,
    Percentiles EndToEnd,
    Percentiles InferenceInPipeline,
    double PipelineOverInference,
    IReadOnlyDictionary<string, Percentiles> Models);

/// <summary>
/// Times the pipeline one image at a time on real photos: each stage, the whole, and the ONNX Runtime time inside it;
/// then every model's inference alone. Warm-up runs are not counted.
/// </summary>
public sealed class PipelineBenchmark(LocalFaceEngine engine, ModelCatalogue catalogue, OnnxRuntimeOptions runtime)
{
    public const int WarmUp = 20;

    public PipelineBenchmarkReport Run(FaceDataset dataset, int imageCount, int repeatsPerModel, int intraOpThreads, IProgress<(int Done, int Total)>? progress, CancellationToken cancellationToken)
    {
        var images = Spread(dataset.Images, imageCount).Select(p => File.ReadAllBytes(Path.Combine(dataset.Root, p))).ToList();
        foreach (var bytes in images.Take(WarmUp))
        {
            engine.Analyzer.Analyze(bytes, EmbedFaces.Largest, cancellationToken);
        }

        var stageNames = Enum.GetValues<PipelineStage>();
        var stageTimes = stageNames.ToDictionary(s => s, _ => new List<double>());
        var endToEnd = new List<double>();
        var inference = new List<double>();
        var withoutFace = 0;
        for (var i = 0; i < images.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var timings = new StageTimings();
            var inferenceBefore = InferenceClock.Milliseconds;
            var start = Stopwatch.GetTimestamp();
            FaceAnalysis? analysis = null;
            try
            {
                analysis = engine.Analyzer.Analyze(images[i], (faces, _) => faces.Count > 0 ? [0] : [], timings, cancellationToken);
            }
            catch (FaceImageRejectedException)
            {
            }

            endToEnd.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            inference.Add(InferenceClock.Milliseconds - inferenceBefore);
            foreach (var stage in stageNames)
            {
                stageTimes[stage].Add(timings.Milliseconds(stage));
            }

            if (analysis is not { Faces.Count: > 0 })
            {
                withoutFace++;
            }

            progress?.Report((i + 1, images.Count));
        }

        var e2e = Percentiles.Of(endToEnd);
        var inPipeline = Percentiles.Of(inference);
        return new PipelineBenchmarkReport(
            engine.ModelVersion,
            dataset.Root,
            images.Count,
            withoutFace,
            intraOpThreads,
            stageNames.ToDictionary(s => s.ToString().ToLowerInvariant(), s => Percentiles.Of(stageTimes[s])),
            e2e,
            inPipeline,
            e2e.Median / inPipeline.Median,
            TimeModels(images[0], repeatsPerModel, cancellationToken));
    }

    /// <summary>Each model on inputs cut from a real photo, exactly as the pipeline would cut them.</summary>
    private Dictionary<string, Percentiles> TimeModels(byte[] photo, int repeats, CancellationToken cancellationToken)
    {
        var image = engine.Decoder.Decode(photo);
        var face = engine.Detector.Detect(image).OrderByDescending(f => f.Box.Area).First();
        var shape = engine.Landmarker.Locate(image, face);

        var detectorInput = new float[engine.Detector.ModelInputLength];
        var side = Math.Max(image.Width, image.Height);
        ImageWarp.ToTensor(image, new CropGeometry(new FacePoint(image.Width / 2f, image.Height / 2f), side, 0, engine.Detector.InputSize).WarpMap,
            engine.Detector.InputSize, engine.Detector.InputSize, ModelInput.Rgb255, detectorInput);
        var landmarkInput = new float[engine.Landmarker.ModelInputLength];
        var crop = engine.Landmarker.CropFor(face);
        ImageWarp.ToTensor(image, crop.WarpMap, crop.Size, crop.Size, ModelInput.Rgb255, landmarkInput);

        var timings = new Dictionary<string, Percentiles>
        {
            ["blazeface"] = Repeat(() => engine.Detector.RunModel(detectorInput), repeats, cancellationToken),
            ["landmark68"] = Repeat(() => engine.Landmarker.RunModel(landmarkInput), repeats, cancellationToken),
        };
        TimeRecognizer("dlibResnet", FaceModel.DlibResNet, size => new DlibChipAligner(size).Align(image, shape));
        TimeRecognizer("mobileFaceNet", FaceModel.MobileFaceNet, _ => new ArcFaceAligner().Align(image, shape));
        return timings;

        void TimeRecognizer(string name, FaceModel model, Func<int, RgbaImage> align)
        {
            using var embedder = new ChipEmbedder(new ChipEmbedderOptions(catalogue.PathOf(model)), runtime);
            var chip = align(embedder.ChipSize);
            var chipLength = embedder.ModelInputLength;
            var chipPair = new float[chipLength * 2];
            ChipTensor.Fill(chip, chipPair.AsSpan(0, chipLength), mirror: false);
            ChipTensor.Fill(chip, chipPair.AsSpan(chipLength), mirror: true);
            var chipSingle = chipPair[..chipLength];
            timings[name] = Repeat(() => embedder.RunModel(chipSingle, 1), repeats, cancellationToken);
            timings[name + "WithFlip"] = Repeat(() => embedder.RunModel(chipPair, 2), repeats, cancellationToken);
        }
    }

    private static Percentiles Repeat(Func<float[][]> run, int repeats, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 10; i++)
        {
            run();
        }

        var times = new List<double>(repeats);
        for (var i = 0; i < repeats; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var start = Stopwatch.GetTimestamp();
            run();
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        return Percentiles.Of(times);
    }

    /// <summary>Every k-th image so the sample covers the whole dataset, not its first few people.</summary>
    internal static IReadOnlyList<string> Spread(IReadOnlyList<string> images, int count)
    {
        if (count >= images.Count)
        {
            return images;
        }

        return [.. Enumerable.Range(0, count).Select(i => images[(int)((long)i * images.Count / count)])];
    }
}
