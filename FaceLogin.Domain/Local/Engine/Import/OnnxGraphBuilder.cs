using Google.Protobuf;
using Onnx;

namespace FaceLogin.Domain.Local.Engine.Import;

/// <summary>
/// Accumulates an ONNX graph (nodes, float/int64 initialisers, declared inputs and outputs) and writes the model.
/// Names are made unique here, so callers pass readable hints.
/// </summary>
internal sealed class OnnxGraphBuilder(string graphName)
{
    /// <summary>Opset 13: Softmax per axis, Squeeze/Pad/Clip take their parameters as inputs, ReduceMean still takes axes as an attribute.</summary>
    public const int OpsetVersion = 13;

    private readonly GraphProto _graph = new() { Name = graphName };
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public string UniqueName(string hint)
    {
        var name = hint;
        for (var i = 1; !_names.Add(name); i++)
        {
            name = $"{hint}_{i}";
        }

        return name;
    }

    public string AddFloatInitializer(string hint, float[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = UniqueName(hint), DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        tensor.RawData = ByteString.CopyFrom(bytes);
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public string AddInt64Initializer(string hint, long[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = UniqueName(hint), DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.AddRange(dims);
        tensor.Int64Data.AddRange(values);
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Adds a single-output node and returns its output's name.</summary>
    public string AddNode(string opType, IEnumerable<string> inputs, string outputHint, params AttributeProto[] attributes)
    {
        var output = UniqueName(outputHint);
        var node = new NodeProto { OpType = opType, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return output;
    }

    /// <summary>Declares a float input; a null dimension becomes the symbolic <c>batch</c>.</summary>
    public string AddInput(string name, params int?[] dims)
    {
        _names.Add(name);
        _graph.Input.Add(FloatValueInfo(name, dims));
        return name;
    }

    /// <summary>Makes <paramref name="value"/> a graph output called <paramref name="name"/> (through an Identity when the names differ).</summary>
    public void AddOutput(string value, string name, params int?[] dims)
    {
        if (value != name)
        {
            _names.Add(name);
            var node = new NodeProto { OpType = "Identity", Name = name };
            node.Input.Add(value);
            node.Output.Add(name);
            _graph.Node.Add(node);
        }

        _graph.Output.Add(FloatValueInfo(name, dims));
    }

    public ModelProto Build(string docString)
    {
        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "FaceLogin.Import",
            ProducerVersion = "1",
            DocString = docString,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        return model;
    }

    public void Save(string path, string docString)
    {
        using var file = File.Create(path);
        Build(docString).WriteTo(file);
    }

    private static ValueInfoProto FloatValueInfo(string name, int?[] dims)
    {
        var tensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = new TensorShapeProto() };
        foreach (var dim in dims)
        {
            tensorType.Shape.Dim.Add(dim is { } value
                ? new TensorShapeProto.Types.Dimension { DimValue = value }
                : new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensorType } };
    }
}

/// <summary>Shorthands for ONNX node attributes.</summary>
internal static class OnnxAttribute
{
    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }
}
