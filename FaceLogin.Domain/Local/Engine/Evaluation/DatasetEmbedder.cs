using System.Diagnostics;
using FaceLogin.Domain.Faces;

namespace FaceLogin.Domain.Local.Engine.Evaluation;

/// <summary>How the evaluation picks the one face to embed in an image that holds several.</summary>
public enum FaceSelection
{
    /// <summary>The face nearest the labelled position: the image centre for LFW (its people were centred), or face-centres.tsv.</summary>
    Labelled,

    /// <summary>
    /// The face the product takes from a camera frame: the largest, unless another face is about as large
    /// (<see cref="DominantFaceRule"/>), when the picture is refused and counts as a failure.
    /// </summary>
    Largest,
}

/// <summary>
/// A picture with more than one face: the widest other face's width over the person's (the largest face's), the measure the
/// dominant-face rule compares with its ratio, and the rule's verdict.
/// </summary>
public sealed record SeveralFaces(string Image, int Faces, float WidestOtherFaceRatio, FaceVerdictKind Verdict);

/// <summary>Runs the pipeline once over every image of a dataset, timing each image end to end.</summary>
public sealed class DatasetEmbedder(FaceAnalyzer analyzer, DominantFaceRule faceRule)
{
    public DatasetEmbedder(FaceAnalyzer analyzer)
        : this(analyzer, DominantFaceRule.Default)
    {
    }

    public sealed record Result(
        IReadOnlyDictionary<string, float[]> Embeddings,
        IReadOnlyList<string> Failures,
        int ImagesWithSeveralFaces,
        IReadOnlyList<double> MillisecondsPerImage,
        IReadOnlyDictionary<string, AnalyzedFace> EmbeddedFaces)
    {
        /// <summary>Every picture with more than one face, with what the dominant-face rule made of it.</summary>
        public IReadOnlyList<SeveralFaces> SeveralFaces { get; init; } = [];
    }

    public Result EmbedAll(FaceDataset dataset, FaceSelection selection, IProgress<(int Done, int Total)>? progress, CancellationToken cancellationToken)
    {
        var embeddings = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var embeddedFaces = new Dictionary<string, AnalyzedFace>(StringComparer.Ordinal);
        var failures = new List<string>();
        var timings = new List<double>(dataset.Images.Count);
        var severalFaces = new List<SeveralFaces>();
        for (var i = 0; i < dataset.Images.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = dataset.Images[i];
            var bytes = File.ReadAllBytes(Path.Combine(dataset.Root, path));
            var target = dataset.FaceCentres.TryGetValue(path, out var centre) ? centre : (0.5f, 0.5f);
            var start = Stopwatch.GetTimestamp();
            FaceAnalysis? analysis = null;
            try
            {
                analysis = analyzer.Analyze(bytes, (faces, image) => Select(faces, image, selection, target, faceRule), timings: null, cancellationToken);
            }
            catch (FaceImageRejectedException)
            {
                // Counted below as a failure: a dataset image the decoder refuses is as lost as one without a face.
            }

            timings.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            var embedded = analysis?.Faces.FirstOrDefault(f => f.Embedding is not null);
            if (embedded?.Embedding is null)
            {
                failures.Add(path);
            }
            else
            {
                embeddings[path] = embedded.Embedding;
                embeddedFaces[path] = embedded;
            }

            if (analysis is { Faces.Count: > 1 })
            {
                var boxes = analysis.Faces.Select(f => f.Detail.Box).ToList();
                severalFaces.Add(new SeveralFaces(path, boxes.Count, boxes.Skip(1).Max(b => b.Width) / boxes[0].Width, faceRule.Judge(boxes).Kind));
            }

            progress?.Report((i + 1, dataset.Images.Count));
        }

        return new Result(embeddings, failures, severalFaces.Count, timings, embeddedFaces) { SeveralFaces = severalFaces };
    }

    /// <summary>The face to embed; <paramref name="faces"/> come largest first, as the analyzer orders them.</summary>
    internal static IReadOnlyCollection<int> Select(IReadOnlyList<DetectedFace> faces, RgbaImage image, FaceSelection selection, (float X, float Y) target, DominantFaceRule faceRule)
    {
        if (faces.Count == 0)
        {
            return [];
        }

        if (selection == FaceSelection.Largest)
        {
            // The product's rule, the same class every door uses: the largest face, unless a second one is about as large.
            // Judged on the boxes the doors see: clipped to the picture, as the analyzer reports them across the port.
            var verdict = faceRule.Judge(faces.Select(f => BoundingBox.FromPixels(FaceAnalyzer.ClampToImage(f.Box, image), image.Width, image.Height)).ToList());
            return verdict.Kind == FaceVerdictKind.OnePerson ? [verdict.Person] : [];
        }

        var tx = target.X * image.Width;
        var ty = target.Y * image.Height;
        var nearest = Enumerable.Range(0, faces.Count)
            .MinBy(i => Math.Pow(faces[i].Box.Centre.X - tx, 2) + Math.Pow(faces[i].Box.Centre.Y - ty, 2));
        return [nearest];
    }
}
