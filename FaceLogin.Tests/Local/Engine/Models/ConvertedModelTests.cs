using FaceLogin.Domain.Local.Engine.Models;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace FaceLogin.Tests.Local.Engine.Models;

/// <summary>The models the build converted load in ONNX Runtime and keep the documented contract.</summary>
public sealed class ConvertedModelTests
{
    public static TheoryData<FaceModel> AllModels() => new(Enum.GetValues<FaceModel>());

    [Theory]
    [MemberData(nameof(AllModels))]
    public void Model_runs_and_produces_the_documented_outputs(FaceModel model)
    {
        var description = ModelCatalogue.Default.Describe(model);
        using var session = new InferenceSession(ModelCatalogue.Default.PathOf(model));

        Assert.Equal([FaceModelDescription.InputName], session.InputMetadata.Keys);
        var inputShape = ParseShape(description.InputShape);
        var input = new DenseTensor<float>(inputShape);
        var random = new Random(7);
        for (var i = 0; i < input.Length; i++)
        {
            input.SetValue(i, random.Next(256));
        }

        using var results = session.Run([NamedOnnxValue.CreateFromTensor(FaceModelDescription.InputName, input)]);
        Assert.Equal(description.Outputs.Select(o => o.Name), results.Select(r => r.Name));
        foreach (var (result, expected) in results.Zip(description.Outputs))
        {
            var tensor = result.AsTensor<float>();
            Assert.Equal(ParseShape(expected.Shape), tensor.Dimensions.ToArray());
            Assert.All(tensor.ToArray(), v => Assert.True(float.IsFinite(v), $"{model}.{expected.Name} has a non-finite value"));
        }
    }

    [Fact]
    public void Every_description_has_a_recipe_and_every_recipe_source_is_pinned()
    {
        var pinned = ModelPins.Embedded.Files.Select(f => f.RelativePath).ToHashSet();
        Assert.Equal(Enum.GetValues<FaceModel>().Order(), ModelRecipes.All.Select(r => r.Model).Order());
        Assert.All(ModelRecipes.All.SelectMany(r => r.Sources), source => Assert.Contains(source, pinned));
    }

    [Fact]
    public void Missing_models_name_the_fix()
    {
        var catalogue = new ModelCatalogue(Path.Combine(Path.GetTempPath(), "facelogin-no-models-" + Guid.NewGuid().ToString("N")));

        var error = Assert.Throws<ModelsUnavailableException>(() => catalogue.PathOf(FaceModel.BlazeFace));

        Assert.Contains("dotnet build", error.Message, StringComparison.Ordinal);
        Assert.Throws<ModelsUnavailableException>(catalogue.EnsureAvailable);
    }

    /// <summary>"[batch,256,256,3]" → [1,256,256,3].</summary>
    private static int[] ParseShape(string shape) =>
        shape.Trim('[', ']').Split(',').Select(d => d == "batch" ? 1 : int.Parse(d, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}
