using System.Text.Json;
using FaceLogin.Domain.Local.Engine.Import;
using static FaceLogin.Tests.Local.Engine.Import.ConvolutionMapperTests;
using static FaceLogin.Tests.Local.Engine.Import.NhwcReference;

namespace FaceLogin.Tests.Local.Engine.Import;

public sealed class TfjsWeightsReaderTests
{
    [Fact]
    public void Reads_float32_float16_uint8_and_int32_in_manifest_order_across_shards()
    {
        var folder = Directory.CreateTempSubdirectory("facelogin-weights-");
        try
        {
            // Shard 1: float32 [1.5, -2] then float16 [0.5, -3] (2 bytes each); shard 2: uint8 q=[0, 2, 255] then int32 [7].
            byte[] shard1 = [.. BitConverter.GetBytes(1.5f), .. BitConverter.GetBytes(-2f), .. Half(0.5f), .. Half(-3f)];
            byte[] shard2 = [0, 2, 255, .. BitConverter.GetBytes(7)];
            File.WriteAllBytes(Path.Combine(folder.FullName, "a.bin"), shard1);
            File.WriteAllBytes(Path.Combine(folder.FullName, "b.bin"), shard2);
            var manifest = JsonDocument.Parse("""
                [{ "paths": ["a.bin", "b.bin"], "weights": [
                  { "name": "f32", "shape": [2], "dtype": "float32" },
                  { "name": "f16", "shape": [2], "dtype": "float32", "quantization": { "dtype": "float16", "original_dtype": "float32" } },
                  { "name": "u8", "shape": [3], "dtype": "float32", "quantization": { "dtype": "uint8", "scale": 0.1, "min": -1.0 } },
                  { "name": "i32", "shape": [1], "dtype": "int32" } ] }]
                """);

            var tensors = new TfjsWeightsReader().Read(manifest.RootElement, folder.FullName);

            Assert.True(tensors["i32"].IsInt && !tensors["f32"].IsInt);
            Assert.Equal([1.5f, -2f], tensors["f32"].AsFloats());
            Assert.Equal([0.5f, -3f], tensors["f16"].AsFloats());
            Assert.Equal([-1f, (float)((2 * 0.1) - 1.0), (float)((255 * 0.1) - 1.0)], tensors["u8"].AsFloats());
            Assert.Equal([7], tensors["i32"].AsInts());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Manifest_that_does_not_cover_the_shards_is_rejected()
    {
        var folder = Directory.CreateTempSubdirectory("facelogin-weights-");
        try
        {
            File.WriteAllBytes(Path.Combine(folder.FullName, "a.bin"), new byte[12]);
            var manifest = JsonDocument.Parse("""[{ "paths": ["a.bin"], "weights": [{ "name": "w", "shape": [2], "dtype": "float32" }] }]""");

            Assert.Throws<InvalidDataException>(() => new TfjsWeightsReader().Read(manifest.RootElement, folder.FullName));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("float16")]
    [InlineData("uint8")]
    public void Quantised_filters_convolve_like_their_decoded_values(string quantization)
    {
        int[] shape = [1, 4, 4, 2];
        // Values exactly representable after quantisation: halves are exact for k/16; uint8 steps of (max-min)/255.
        var filter = quantization == "float16"
            ? Enumerable.Range(0, 3 * 3 * 2 * 2).Select(i => ((i % 17) - 8) / 16f).ToArray()
            : Enumerable.Range(0, 3 * 3 * 2 * 2).Select(i => (float)((i == 1 ? 255 : (i * 37) % 256) * (2.0 / 255)) - 1f).ToArray(); // q spans 0..255
        var graph = new SyntheticTfjsGraph(shape);
        graph.Const("w", [3, 3, 2, 2], filter, quantization);
        graph.Node("conv", "Conv2D", [SyntheticTfjsGraph.Input, "w"], ConvAttributes(1, "SAME"));
        var input = Random(32, 41);

        var (actual, _) = graph.Run("conv", input);

        var (expected, _) = Conv(input, shape, filter, 3, 3, 2, 1, "SAME", depthwise: false);
        AssertClose(expected, actual, 1e-4f);
    }

    private static byte[] Half(float value)
    {
        var bytes = new byte[2];
        System.Buffers.Binary.BinaryPrimitives.WriteHalfLittleEndian(bytes, (Half)value);
        return bytes;
    }
}
