using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine;
using FaceLogin.Domain.Local.Engine.Evaluation;
using FaceLogin.Domain.Local.Engine.Quality;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FaceLogin.Tests.Local.Engine;

public sealed class EngineSupportTests
{
    [Fact]
    public void Engine_options_bind_from_faceLogin_engine_including_nested_limits()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["FaceLogin:Engine:IntraOpThreads"] = "3",
            ["FaceLogin:Engine:FlipAveraging"] = "false",
            ["FaceLogin:Engine:Decoder:MaxBytes"] = "1000",
            ["FaceLogin:Engine:Quality:MaxYaw"] = "30",
        }).Build();

        var options = configuration.GetSection(LocalEngineOptions.SectionName).Get<LocalEngineOptions>()!;

        Assert.Equal(3, options.IntraOpThreads);
        Assert.False(options.FlipAveraging);
        Assert.Equal(1000, options.Decoder.MaxBytes);
        Assert.Equal(30, options.Quality.MaxYaw);
        Assert.Equal(new FaceQualityOptions().MinBrightness, options.Quality.MinBrightness);
    }

    [Fact]
    public void The_engine_registers_its_analyzer_and_similarity_scale_without_building_sessions()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["FaceLogin:Engine:ModelPath"] = "/nowhere",
        }).Build();
        var services = new ServiceCollection();

        services.AddLocalFaceEngine(configuration);

        Assert.Contains(services, d => d.ServiceType == typeof(IFaceAnalyzer));
        Assert.Contains(services, d => d.ServiceType == typeof(LocalFaceEngine));
        using var provider = services.BuildServiceProvider();
        Assert.Same(SimilarityScale.Default, provider.GetRequiredService<SimilarityScale>());
    }

    [Fact]
    public void The_similarity_scale_puts_the_default_threshold_at_80_and_round_trips()
    {
        var scale = SimilarityScale.Default;

        Assert.Equal(0, scale.ToScore(scale.CosineAtZero), 3);
        Assert.Equal(100, scale.ToScore(1f));
        Assert.Equal(0, scale.ToScore(-0.5f));
        Assert.Equal(0.3f, scale.ToCosine(scale.ToScore(0.3f)), 4);
        Assert.Equal(80f, SimilarityScale.DefaultMatchThreshold);
        Assert.True(scale.ToScore(scale.ToCosine(80)) is > 79.99f and < 80.01f);
    }

    [Fact]
    public void The_labelled_face_is_the_one_nearest_the_labelled_point_and_largest_means_the_dominant_one()
    {
        var rule = DominantFaceRule.Default;
        var image = RgbaImage.Blank(200, 100);
        DetectedFace[] faces =
        [
            new(new PixelRect(0, 0, 80, 80), 0.9f, default),
            new(new PixelRect(90, 30, 30, 30), 0.9f, default),
            new(new PixelRect(150, 0, 40, 40), 0.9f, default),
        ];

        Assert.Equal([1], DatasetEmbedder.Select(faces, image, FaceSelection.Labelled, (0.5f, 0.5f), rule));
        Assert.Equal([2], DatasetEmbedder.Select(faces, image, FaceSelection.Labelled, (0.9f, 0.1f), rule));
        // Faces 30 and 40 px wide beside an 80 px one are background (under 0.6 of its width): the largest is the person.
        Assert.Equal([0], DatasetEmbedder.Select(faces, image, FaceSelection.Largest, (0.9f, 0.1f), rule));
        Assert.Empty(DatasetEmbedder.Select([], image, FaceSelection.Labelled, (0.5f, 0.5f), rule));

        // A second face 50 px wide (0.625 of the largest) is a second person: --face largest refuses the picture, as the doors do.
        DetectedFace[] twoPeople = [faces[0], new(new PixelRect(100, 0, 50, 50), 0.9f, default)];
        Assert.Empty(DatasetEmbedder.Select(twoPeople, image, FaceSelection.Largest, (0.5f, 0.5f), rule));
        Assert.Equal([1], DatasetEmbedder.Select(twoPeople, image, FaceSelection.Labelled, (0.6f, 0.2f), rule));
    }

    [Fact]
    public void Percentiles_use_the_nearest_rank_and_the_bench_spreads_its_sample()
    {
        double[] values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

        Assert.Equal(5, DatasetEvaluator.Percentile(values, 0.5));
        Assert.Equal(10, DatasetEvaluator.Percentile(values, 0.95));
        Assert.Equal(1, DatasetEvaluator.Percentile(values, 0.01));
        var spread = PipelineBenchmark.Spread([.. Enumerable.Range(0, 100).Select(i => i.ToString("000", System.Globalization.CultureInfo.InvariantCulture))], 4);
        Assert.Equal(["000", "025", "050", "075"], spread);
    }

    [Fact]
    public void A_dataset_folder_is_read_as_identity_folders_with_its_protocol_files()
    {
        var root = Directory.CreateTempSubdirectory("facelogin-dataset-").FullName;
        try
        {
            foreach (var file in new[] { "Ann/Ann_0001.jpg", "Ann/Ann_0002.jpg", "Bob/Bob_0001.jpg" })
            {
                Directory.CreateDirectory(Path.Combine(root, Path.GetDirectoryName(file)!));
                File.WriteAllBytes(Path.Combine(root, file), [1]);
            }

            File.WriteAllText(Path.Combine(root, "pairs.tsv"), "Ann/Ann_0001.jpg\tAnn/Ann_0002.jpg\t1\nAnn/Ann_0001.jpg\tBob/Bob_0001.jpg\t0\n");
            File.WriteAllText(Path.Combine(root, "identification.tsv"), "path\tidentity\trole\nAnn/Ann_0001.jpg\tAnn\tgallery\nAnn/Ann_0002.jpg\tAnn\tprobe\n");
            File.WriteAllText(Path.Combine(root, CameraVariantGenerator.FaceCentresFile), "path\tx\ty\nBob/Bob_0001.jpg\t0.25\t0.75\n");

            var dataset = FaceDataset.Open(root);

            Assert.Equal(["Ann/Ann_0001.jpg", "Ann/Ann_0002.jpg", "Bob/Bob_0001.jpg"], dataset.Images);
            Assert.Equal((0.25f, 0.75f), dataset.FaceCentres["Bob/Bob_0001.jpg"]);
            Assert.Equal([true, false], FaceDataset.ReadPairs(Path.Combine(root, "pairs.tsv")).Select(p => p.Same));
            Assert.Equal([true, false], FaceDataset.ReadIdentification(Path.Combine(root, "identification.tsv")).Select(r => r.IsGallery));
            Assert.Equal("Ann", FaceDataset.IdentityOf("Ann/Ann_0002.jpg"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
