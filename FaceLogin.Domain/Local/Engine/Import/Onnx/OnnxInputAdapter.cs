using Google.Protobuf;
using Onnx;

namespace FaceLogin.Domain.Local.Engine.Import.Onnx;

/// <summary>How a shipped ONNX model wants its pixels: channel order and <c>(x − Mean) / Divisor</c> per value.</summary>
internal enum ChannelOrder
{
    Rgb,

    /// <summary>Channels reversed: models trained on OpenCV images (Faceplugin's) expect B, G, R.</summary>
    Bgr,

    /// <summary>One channel of luma, 0.299 R + 0.587 G + 0.114 B (OpenCV's grey).</summary>
    Grey,
}

/// <param name="FreeBatch">
/// Make the batch dimension symbolic. Only for graphs whose sole batch-bound node is a Reshape to a constant shape that
/// starts with 1 (PyTorch's <c>x.view(1, -1)</c> export): that 1 becomes 0, "keep the input's batch", the same for one item.
/// </param>
internal sealed record InputAdaptation(ChannelOrder Channels, float Mean, float Divisor, bool FreeBatch);

/// <summary>
/// Gives a model shipped as plain ONNX (NCHW, its own channel order and scaling) the house contract of every model the
/// engine loads: one float input called <c>image</c>, NHWC, RGB 0..255. It prepends Transpose → channel reorder or luma →
/// scaling to the unchanged graph, so the order a network was trained with cannot be got wrong by a caller (Faceplugin's
/// models fed R,G,B, as its own JavaScript does, lose accuracy: ENGINE-NOTES).
/// </summary>
internal static class OnnxInputAdapter
{
    public const string BatchDimension = "batch";

    public static ModelProto Adapt(ModelProto model, string inputName, InputAdaptation adaptation, string description)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = model.Graph;
        var original = graph.Input.Single(i => graph.Initializer.All(init => init.Name != i.Name));
        var dims = original.Type.TensorType.Shape.Dim;
        if (dims.Count != 4)
        {
            throw new InvalidDataException($"Expected an NCHW image input, got {dims.Count} dimensions on '{original.Name}'.");
        }

        var channels = (int)dims[1].DimValue;
        var height = (int)dims[2].DimValue;
        var width = (int)dims[3].DimValue;
        if (channels != (adaptation.Channels == ChannelOrder.Grey ? 1 : 3))
        {
            throw new InvalidDataException($"'{original.Name}' has {channels} channels, which {adaptation.Channels} cannot feed.");
        }

        var names = new HashSet<string>(graph.Node.SelectMany(n => n.Output).Concat(graph.Initializer.Select(i => i.Name)).Concat(graph.Input.Select(i => i.Name)), StringComparer.Ordinal);
        string Unique(string hint)
        {
            var name = hint;
            for (var i = 1; !names.Add(name); i++)
            {
                name = $"{hint}_{i}";
            }

            return name;
        }

        var prologue = new List<NodeProto>();
        string Node(string op, string[] inputs, params AttributeProto[] attributes)
        {
            var output = Unique("adapter_" + op.ToLowerInvariant());
            var node = new NodeProto { OpType = op, Name = output };
            node.Input.AddRange(inputs);
            node.Output.Add(output);
            node.Attribute.AddRange(attributes);
            prologue.Add(node);
            return output;
        }

        string Constant(string hint, float[] values, params long[] shape)
        {
            var tensor = new TensorProto { Name = Unique(hint), DataType = (int)TensorProto.Types.DataType.Float };
            tensor.Dims.AddRange(shape);
            tensor.FloatData.AddRange(values);
            graph.Initializer.Add(tensor);
            return tensor.Name;
        }

        names.Add(inputName);
        var value = Node("Transpose", [inputName], OnnxAttribute.Ints("perm", 0, 3, 1, 2));
        var divisor = adaptation.Divisor;
        switch (adaptation.Channels)
        {
            case ChannelOrder.Bgr:
                // A 1×1 convolution with a permutation matrix: reorders channels in every opset and keeps the batch free.
                value = Node("Conv", [value, Constant("adapter_bgr", [0, 0, 1, 0, 1, 0, 1, 0, 0], 3, 3, 1, 1)]);
                break;
            case ChannelOrder.Grey:
                value = Node("Conv", [value, Constant("adapter_luma", [0.299f, 0.587f, 0.114f], 1, 3, 1, 1)]);
                break;
        }

        if (adaptation.Mean != 0)
        {
            value = Node("Sub", [value, Constant("adapter_mean", [adaptation.Mean])]);
        }

        if (divisor != 1)
        {
            value = Node("Mul", [value, Constant("adapter_scale", [1f / divisor])]);
        }

        // The prologue's last output takes the original input's name, so the unchanged graph reads it.
        prologue[^1].Output[0] = original.Name;
        prologue[^1].Name = original.Name;
        var body = graph.Node.ToList();
        graph.Node.Clear();
        graph.Node.AddRange(prologue);
        graph.Node.AddRange(body);

        graph.Input.Remove(original);
        graph.Input.Insert(0, ImageInput(inputName, adaptation.FreeBatch ? null : (int)dims[0].DimValue, height, width));
        if (adaptation.FreeBatch)
        {
            FreeBatch(graph);
        }

        model.DocString = description;
        return model;
    }

    /// <summary>Reads, adapts and writes a model file.</summary>
    public static void AdaptFile(string source, string destination, string inputName, InputAdaptation adaptation, string description)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(source));
        using var file = File.Create(destination);
        Adapt(model, inputName, adaptation, description).WriteTo(file);
    }

    private static void FreeBatch(GraphProto graph)
    {
        var constants = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        foreach (var reshape in graph.Node.Where(n => n.OpType == "Reshape"))
        {
            if (constants.TryGetValue(reshape.Input[1], out var shape) && shape.DataType == (int)TensorProto.Types.DataType.Int64)
            {
                var values = Int64Values(shape);
                if (values.Length > 0 && values[0] == 1)
                {
                    values[0] = 0;
                    shape.Int64Data.Clear();
                    shape.RawData = ByteString.Empty;
                    shape.Int64Data.AddRange(values);
                }
            }
        }

        foreach (var output in graph.Output)
        {
            var dims = output.Type.TensorType.Shape?.Dim;
            if (dims is { Count: > 0 })
            {
                dims[0] = new TensorShapeProto.Types.Dimension { DimParam = BatchDimension };
            }
        }

        // Shapes inferred by the exporter would pin the batch again; ONNX Runtime infers them anew.
        graph.ValueInfo.Clear();
    }

    private static long[] Int64Values(TensorProto tensor)
    {
        if (tensor.Int64Data.Count > 0)
        {
            return [.. tensor.Int64Data];
        }

        var bytes = tensor.RawData.Span;
        var values = new long[bytes.Length / 8];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(bytes[(i * 8)..]);
        }

        return values;
    }

    private static ValueInfoProto ImageInput(string name, int? batch, int height, int width)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(batch is { } fixedBatch ? new TensorShapeProto.Types.Dimension { DimValue = fixedBatch } : new TensorShapeProto.Types.Dimension { DimParam = BatchDimension });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = height });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = width });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = 3 });
        var tensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape };
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensorType } };
    }
}
