using System.Globalization;
using System.Text;
using System.Text.Json;
using FaceLogin.Domain.Local.Engine.Models;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace FaceLogin.Tests.Local.Engine.Import;

/// <summary>
/// The recorded equivalence check against TF.js (docs/engine.md): runs only when <c>FACELOGIN_TFJS_REFERENCE</c> names a folder
/// written by <c>tools/model-equivalence/reference.mjs</c>, which needs TF.js installed outside the repository.
/// Compares every output of every converted model with TF.js on the same inputs and writes the table to that folder.
/// </summary>
public sealed class TfjsEquivalenceCheck
{
    [Fact]
    public void Converted_models_match_TFjs_on_real_images()
    {
        if (Environment.GetEnvironmentVariable("FACELOGIN_TFJS_REFERENCE") is not { Length: > 0 } folder)
        {
            Assert.Skip("Set FACELOGIN_TFJS_REFERENCE to a folder made by tools/model-equivalence/reference.mjs to run this check.");
            return;
        }

        using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "index.json")));
        var imageCount = index.RootElement.GetProperty("images").GetArrayLength();
        var report = new StringBuilder("| model | output | max abs diff | max rel diff (÷ max |TF.js|) |\n|---|---|---|---|\n");
        var worst = 0.0;
        foreach (var model in index.RootElement.GetProperty("models").EnumerateObject())
        {
            var description = FaceModelDescriptions.All.Single(d => d.FileName == model.Name + ".onnx");
            var size = model.Value.GetProperty("size").GetInt32();
            using var session = new InferenceSession(ModelCatalogue.Default.PathOf(description.Model));
            var stats = description.Outputs.ToDictionary(o => o.Name, _ => (Abs: 0.0, Rel: 0.0));
            for (var i = 0; i < imageCount; i++)
            {
                var input = new DenseTensor<float>(ReadFloats(Path.Combine(folder, "inputs", $"{model.Name}-{i}.f32")), [1, size, size, 3]);
                using var results = session.Run([NamedOnnxValue.CreateFromTensor(FaceModelDescription.InputName, input)]);
                foreach (var result in results)
                {
                    var onnx = result.AsTensor<float>().ToArray();
                    var tfjs = ReadFloats(Path.Combine(folder, "tfjs", $"{model.Name}-{i}-{result.Name}.f32"));
                    Assert.Equal(tfjs.Length, onnx.Length);
                    var scale = tfjs.Max(v => Math.Abs((double)v));
                    var abs = onnx.Zip(tfjs).Max(p => Math.Abs((double)p.First - p.Second));
                    var (oldAbs, oldRel) = stats[result.Name];
                    stats[result.Name] = (Math.Max(oldAbs, abs), Math.Max(oldRel, abs / Math.Max(scale, 1e-12)));
                }
            }

            foreach (var (output, (abs, rel)) in stats)
            {
                report.Append(CultureInfo.InvariantCulture, $"| {description.Model} | {output} | {abs:0.0e+0} | {rel:0.0e+0} |\n");
                worst = Math.Max(worst, rel);
            }
        }

        File.WriteAllText(Path.Combine(folder, "onnx-vs-tfjs.md"), report.ToString());
        TestContext.Current.TestOutputHelper?.WriteLine(report.ToString());
        Assert.True(worst < 1e-4, $"Worst relative difference {worst:0.0e+0} exceeds 1e-4:\n{report}");
    }

    private static float[] ReadFloats(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }
}
