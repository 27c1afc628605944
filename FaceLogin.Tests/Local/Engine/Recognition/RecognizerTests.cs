using System.Numerics.Tensors;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine;
using FaceLogin.Domain.Local.Engine.Alignment;
using FaceLogin.Domain.Local.Engine.Models;
using FaceLogin.Domain.Local.Engine.Recognition;

namespace FaceLogin.Tests.Local.Engine.Recognition;

/// <summary>The recognisers: the ArcFace chip's geometry, each recogniser's name, and fusion's arithmetic on real faces.</summary>
public sealed class RecognizerTests
{
    [Fact]
    public void A_face_whose_five_points_sit_on_the_reference_is_cut_without_moving()
    {
        // Place the 68 points so that the five the aligner derives are InsightFace's reference (OpenCV pixel centres + 0.5).
        var points = Enumerable.Repeat(new FacePoint(56.5f, 60.5f), FaceShape.PointCount).ToArray();
        void Set(int[] indices, FacePoint reference)
        {
            foreach (var i in indices)
            {
                points[i] = new FacePoint(reference.X + 0.5f, reference.Y + 0.5f);
            }
        }

        Set([37, 38, 40, 41], ArcFaceAligner.Reference[0]);
        Set([43, 44, 46, 47], ArcFaceAligner.Reference[1]);
        Set([30], ArcFaceAligner.Reference[2]);
        Set([48, 60], ArcFaceAligner.Reference[3]);
        Set([54, 64], ArcFaceAligner.Reference[4]);

        var map = ArcFaceAligner.ChipToImage(new FaceShape(points));

        Assert.Equal(1, map.A, 5);
        Assert.Equal(0, map.B, 5);
        Assert.Equal(0, map.C, 4);
        Assert.Equal(0, map.D, 5);
        Assert.Equal(1, map.E, 5);
        Assert.Equal(0, map.F, 4);
    }

    [Fact]
    public void A_larger_and_turned_face_is_scaled_and_rotated_back_onto_the_reference()
    {
        // The reference shape twice as large, rotated 30°, moved: the chip-to-image map is that similarity.
        var angle = Math.PI / 6;
        var points = Enumerable.Repeat(default(FacePoint), FaceShape.PointCount).ToArray();
        FacePoint Placed(FacePoint r) => new(
            (float)(2 * (r.X * Math.Cos(angle) - r.Y * Math.Sin(angle)) + 300 + 0.5),
            (float)(2 * (r.X * Math.Sin(angle) + r.Y * Math.Cos(angle)) + 100 + 0.5));
        foreach (var (indices, k) in new[] { ([37, 38, 40, 41], 0), (new[] { 43, 44, 46, 47 }, 1), ([30], 2), ([48, 60], 3), ([54, 64], 4) })
        {
            foreach (var i in indices)
            {
                points[i] = Placed(ArcFaceAligner.Reference[k]);
            }
        }

        var map = ArcFaceAligner.ChipToImage(new FaceShape(points));

        Assert.Equal(2 * Math.Cos(angle), map.A, 4);
        Assert.Equal(-2 * Math.Sin(angle), map.B, 4);
        Assert.Equal(300, map.C, 2);
        Assert.Equal(100, map.F, 2);
    }

    [Theory]
    [InlineData(RecognizerKind.MobileFaceNet, "mobilefacenet-faceplugin-v1+flip/fplandmark68x2-arcface5", 512)]
    [InlineData(RecognizerKind.DlibResNet, "dlib-resnet-v1+flip/fplandmark68x2-dlib-chip", 128)]
    public void Each_recogniser_names_its_model_and_length(RecognizerKind kind, string version, int length)
    {
        using var engine = new LocalFaceEngine(ModelCatalogue.Default, new LocalEngineOptions { Recognizer = kind });

        Assert.Equal(version, engine.ModelVersion);
        Assert.Equal(length, engine.Analyzer.EmbeddingLength);
        Assert.Same(RecognizerCalibration.For(new LocalEngineOptions { Recognizer = kind }), engine.Scale);
    }

    [Fact]
    public void The_first_engines_version_is_unchanged_so_its_collections_still_load()
    {
        using var engine = new LocalFaceEngine(ModelCatalogue.Default, new LocalEngineOptions { Recognizer = RecognizerKind.DlibResNet, Landmarks = LandmarkModel.FaceApi });

        Assert.Equal("dlib-resnet-v1+flip/landmark68x2-dlib-chip", engine.ModelVersion);
    }

    [Fact]
    public void A_fused_cosine_is_the_weighted_mean_of_the_recognisers_cosines()
    {
        var a = LocalFaceEngineFixture.Photo("Aaron_Peirsol", 1);
        var b = LocalFaceEngineFixture.Photo("Aaron_Peirsol", 2);
        float Cosine(LocalEngineOptions options)
        {
            using var engine = new LocalFaceEngine(ModelCatalogue.Default, options);
            var x = engine.Analyzer.Analyze(a, EmbedFaces.Largest, TestContext.Current.CancellationToken).Faces[0].Embedding!;
            var y = engine.Analyzer.Analyze(b, EmbedFaces.Largest, TestContext.Current.CancellationToken).Faces[0].Embedding!;
            Assert.Equal(1f, TensorPrimitives.Norm(x), 4);
            return TensorPrimitives.Dot(x, y);
        }

        var mobile = Cosine(new LocalEngineOptions { Recognizer = RecognizerKind.MobileFaceNet });
        var dlib = Cosine(new LocalEngineOptions { Recognizer = RecognizerKind.DlibResNet });
        var fused = Cosine(new LocalEngineOptions { Recognizer = RecognizerKind.Fusion, FusionWeight = 0.3f });

        Assert.Equal(0.3f * mobile + 0.7f * dlib, fused, 4);
    }
}
