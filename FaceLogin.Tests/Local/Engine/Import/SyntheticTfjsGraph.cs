using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using FaceLogin.Domain.Local.Engine.Import;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace FaceLogin.Tests.Local.Engine.Import;

/// <summary>
/// Writes a tiny TF.js graph model (model.json + one .bin shard, as the TF.js converter lays them out) into a temp folder,
/// imports it with the production importer, and runs the ONNX result in ONNX Runtime.
/// </summary>
internal sealed class SyntheticTfjsGraph(params int[] inputShape)
{
    private readonly JsonArray _nodes = [Placeholder(inputShape)];
    private readonly JsonArray _weights = [];
    private readonly MemoryStream _data = new();

    public const string Input = "input";

    /// <summary>A float constant, stored as float32, or quantised as <c>float16</c> or <c>uint8</c> (the values must then be representable).</summary>
    public string Const(string name, int[] shape, float[] values, string? quantization = null)
    {
        var spec = new JsonObject { ["name"] = name, ["shape"] = ShapeArray(shape), ["dtype"] = "float32" };
        switch (quantization)
        {
            case null:
                foreach (var v in values)
                {
                    WriteBytes(BitConverter.GetBytes(v));
                }

                break;
            case "float16":
                spec["quantization"] = new JsonObject { ["dtype"] = "float16", ["original_dtype"] = "float32" };
                foreach (var v in values)
                {
                    var half = new byte[2];
                    BinaryPrimitives.WriteHalfLittleEndian(half, (Half)v);
                    WriteBytes(half);
                }

                break;
            case "uint8":
                var (min, max) = (values.Min(), values.Max());
                var scale = (max - min) / 255.0;
                spec["quantization"] = new JsonObject { ["dtype"] = "uint8", ["scale"] = scale, ["min"] = (double)min, ["original_dtype"] = "float32" };
                WriteBytes(values.Select(v => (byte)Math.Round((v - min) / scale)).ToArray());
                break;
        }

        _weights.Add(spec);
        _nodes.Add(ConstNode(name, shape, "DT_FLOAT"));
        return name;
    }

    public string IntConst(string name, int[] shape, int[] values)
    {
        foreach (var v in values)
        {
            WriteBytes(BitConverter.GetBytes(v));
        }

        _weights.Add(new JsonObject { ["name"] = name, ["shape"] = ShapeArray(shape), ["dtype"] = "int32" });
        _nodes.Add(ConstNode(name, shape, "DT_INT32"));
        return name;
    }

    public string Node(string name, string op, string[] inputs, JsonObject? attributes = null)
    {
        _nodes.Add(new JsonObject
        {
            ["name"] = name,
            ["op"] = op,
            ["input"] = new JsonArray(inputs.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray()),
            ["attr"] = attributes ?? [],
        });
        return name;
    }

    /// <summary>Imports the graph with <paramref name="output"/> as its only output and runs it on <paramref name="input"/>.</summary>
    public (float[] Values, int[] Shape) Run(string output, float[] input)
    {
        var folder = Directory.CreateTempSubdirectory("facelogin-tfjs-");
        try
        {
            var model = new JsonObject
            {
                ["format"] = "graph-model",
                ["modelTopology"] = new JsonObject { ["node"] = _nodes.DeepClone() },
                ["weightsManifest"] = new JsonArray(new JsonObject { ["paths"] = new JsonArray("group1-shard1of1.bin"), ["weights"] = _weights.DeepClone() }),
            };
            File.WriteAllText(Path.Combine(folder.FullName, "model.json"), model.ToJsonString());
            File.WriteAllBytes(Path.Combine(folder.FullName, "group1-shard1of1.bin"), _data.ToArray());

            var graph = new TfjsGraphModelReader(new TfjsWeightsReader()).Read(Path.Combine(folder.FullName, "model.json"));
            var options = new TfjsImportOptions("image", InputScaling.None, [new ImportOutput("out", output)], "test");
            var onnxPath = Path.Combine(folder.FullName, "model.onnx");
            TfjsGraphImporter.CreateDefault().Import(graph, options).Save(onnxPath, "test");

            using var session = new InferenceSession(onnxPath);
            var tensor = new DenseTensor<float>(input, inputShape);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor("image", tensor)]);
            var result = results.Single().AsTensor<float>();
            return (result.ToArray(), result.Dimensions.ToArray());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private void WriteBytes(byte[] bytes) => _data.Write(bytes);

    private static JsonArray ShapeArray(int[] shape) => new(shape.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray());

    private static JsonObject Placeholder(int[] shape) => new()
    {
        ["name"] = Input,
        ["op"] = "Placeholder",
        ["attr"] = new JsonObject
        {
            ["dtype"] = new JsonObject { ["type"] = "DT_FLOAT" },
            ["shape"] = new JsonObject { ["shape"] = new JsonObject { ["dim"] = new JsonArray(shape.Select(d => (JsonNode?)new JsonObject { ["size"] = d.ToString(System.Globalization.CultureInfo.InvariantCulture) }).ToArray()) } },
        },
    };

    private static JsonObject ConstNode(string name, int[] shape, string dtype) => new()
    {
        ["name"] = name,
        ["op"] = "Const",
        ["attr"] = new JsonObject
        {
            ["dtype"] = new JsonObject { ["type"] = dtype },
            ["value"] = new JsonObject { ["tensor"] = new JsonObject { ["dtype"] = dtype, ["tensorShape"] = new JsonObject() } },
        },
    };
}

/// <summary>Node attributes as the TF.js converter writes them (base64 strings, integers as strings).</summary>
internal static class TfAttr
{
    public static JsonObject Str(string value) => new() { ["s"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value)) };

    public static JsonObject Ints(params long[] values) =>
        new() { ["list"] = new JsonObject { ["i"] = new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray()) } };

    public static JsonObject Strs(params string[] values) =>
        new() { ["list"] = new JsonObject { ["s"] = new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(Convert.ToBase64String(Encoding.UTF8.GetBytes(v)))).ToArray()) } };

    public static JsonObject Bool(bool value) => new() { ["b"] = value };

    public static JsonObject Float(float value) => new() { ["f"] = value };

    public static JsonObject Int(long value) => new() { ["i"] = value.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}
