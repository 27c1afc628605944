using FaceLogin.Domain.Local.Engine.Models;
using FaceLogin.Tests.Support;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SkiaSharp;

namespace FaceLogin.Tests.Local.Engine.Models;

/// <summary>
/// The converted models behave like face models on real LFW photos (250×250, face centred): a detection, landmarks where a face has them,
/// and embeddings that tell people apart. Crops are fixed (no pipeline): the pipeline's own tests measure accuracy.
/// </summary>
public sealed class RealPhotoSanityTests
{
    [Fact]
    public void BlazeFace_finds_the_face_near_the_centre()
    {
        var photo = Photo("Aaron_Peirsol", 1);
        var (boxes, logits) = RunTwo(FaceModel.BlazeFace, Pixels(photo, 0, 0, 250, 256), "boxes", "logits");

        var best = Enumerable.Range(0, 896).MaxBy(i => logits[i]);
        Assert.True(Sigmoid(logits[best]) > 0.9, $"best score {Sigmoid(logits[best])}");
        var (anchorX, anchorY) = BlazeFaceAnchor(best);
        var (centreX, centreY) = (anchorX + (boxes[(best * 16) + 0] / 256), anchorY + (boxes[(best * 16) + 1] / 256));
        Assert.InRange(centreX, 0.35, 0.65);
        Assert.InRange(centreY, 0.35, 0.65);
    }

    [Fact]
    public void Landmark68_puts_eyes_above_nose_above_mouth_inside_the_crop()
    {
        var photo = Photo("Aaron_Peirsol", 1);
        var points = RunOne(FaceModel.FaceLandmark68, Pixels(photo, 60, 60, 130, 112), "landmarks");

        Assert.All(points, v => Assert.InRange(v, -0.1f, 1.1f));
        float Y(int i) => points[(2 * i) + 1];
        float X(int i) => points[2 * i];
        var eyes = Enumerable.Range(36, 12).Average(Y);
        var nose = Y(30);
        var mouth = Enumerable.Range(48, 20).Average(Y);
        Assert.True(eyes < nose && nose < mouth, $"eyes {eyes}, nose {nose}, mouth {mouth}");
        Assert.True(X(36) < X(45), "point 36 (image-left eye corner) is left of point 45");
    }

    [Fact]
    public void Dlib_embeddings_are_closer_for_the_same_person()
    {
        float[] Embed(string person, int number) =>
            RunOne(FaceModel.DlibResNet, Pixels(Photo(person, number), 55, 55, 140, 150), "embedding");

        var (a1, a2, other) = (Embed("Aaron_Peirsol", 1), Embed("Aaron_Peirsol", 2), Embed("Diana_Krall", 5));

        Assert.True(Distance(a1, a2) < Distance(a1, other), $"same {Distance(a1, a2)}, different {Distance(a1, other)}");
        Assert.True(Distance(a1, other) > 0.6, $"different people at Euclidean {Distance(a1, other)} (dlib's threshold is 0.6)");
    }

    private static string Photo(string person, int number)
    {
        var path = Path.Combine(TestEnvironment.RequireDataset(), person, $"{person}_{number:0000}.jpg");
        Assert.True(File.Exists(path), $"{path} is missing from the dataset");
        return path;
    }

    /// <summary>RGB 0..255 NHWC of the square (x, y, side) of the photo resized to <paramref name="size"/>.</summary>
    private static DenseTensor<float> Pixels(string path, int x, int y, int side, int size)
    {
        using var photo = SKBitmap.Decode(path);
        using var crop = new SKBitmap(side, side);
        Assert.True(photo.ExtractSubset(crop, SKRectI.Create(x, y, side, side)));
        using var resized = crop.Resize(new SKImageInfo(size, size), new SKSamplingOptions(SKFilterMode.Linear));
        var tensor = new DenseTensor<float>([1, size, size, 3]);
        for (var row = 0; row < size; row++)
        {
            for (var column = 0; column < size; column++)
            {
                var colour = resized.GetPixel(column, row);
                tensor[0, row, column, 0] = colour.Red;
                tensor[0, row, column, 1] = colour.Green;
                tensor[0, row, column, 2] = colour.Blue;
            }
        }

        return tensor;
    }

    private static float[] RunOne(FaceModel model, DenseTensor<float> input, string output) => Run(model, input)[output];

    private static (float[], float[]) RunTwo(FaceModel model, DenseTensor<float> input, string first, string second)
    {
        var results = Run(model, input);
        return (results[first], results[second]);
    }

    private static Dictionary<string, float[]> Run(FaceModel model, DenseTensor<float> input)
    {
        using var session = new InferenceSession(ModelCatalogue.Default.PathOf(model));
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(FaceModelDescription.InputName, input)]);
        return results.ToDictionary(r => r.Name, r => r.AsTensor<float>().ToArray());
    }

    /// <summary>Anchor centre (0..1) of row <paramref name="index"/>: 16×16 cells × 2 anchors, then 8×8 cells × 6.</summary>
    private static (double X, double Y) BlazeFaceAnchor(int index)
    {
        var (grid, perCell, offset) = index < 512 ? (16, 2, index) : (8, 6, index - 512);
        var cell = offset / perCell;
        return (((cell % grid) + 0.5) / grid, ((cell / grid) + 0.5) / grid);
    }

    private static double Sigmoid(float logit) => 1 / (1 + Math.Exp(-logit));

    private static double Distance(float[] a, float[] b) => Math.Sqrt(a.Zip(b).Sum(p => (p.First - p.Second) * (double)(p.First - p.Second)));
}
