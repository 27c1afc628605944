using System.Text.Json;

namespace FaceLogin.Domain.Local.Engine.Import;

/// <summary>One node of a TF.js graph model: a TensorFlow GraphDef node as the TF.js converter wrote it.</summary>
internal sealed record TfjsNode(string Name, string Op, IReadOnlyList<string> Inputs, TfjsNodeAttributes Attributes);

/// <summary>A TF.js graph model (<c>format: graph-model</c>): its nodes in file order, its weights, and the declared output names.</summary>
internal sealed record TfjsGraphModel(
    IReadOnlyList<TfjsNode> Nodes,
    IReadOnlyDictionary<string, TfjsTensor> Weights,
    IReadOnlyList<string> SignatureOutputs);

/// <summary>Reads <c>model.json</c> and the weight shards beside it.</summary>
internal sealed class TfjsGraphModelReader(TfjsWeightsReader weightsReader)
{
    public TfjsGraphModel Read(string modelJsonPath)
    {
        using var stream = File.OpenRead(modelJsonPath);
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        if (!root.TryGetProperty("modelTopology", out var topology) || !topology.TryGetProperty("node", out var nodeArray))
        {
            throw new InvalidDataException($"{modelJsonPath} is not a TF.js graph model (no modelTopology.node).");
        }

        var nodes = nodeArray.EnumerateArray().Select(ReadNode).ToList();
        var weights = weightsReader.Read(root.GetProperty("weightsManifest"), Path.GetDirectoryName(Path.GetFullPath(modelJsonPath))!);
        return new TfjsGraphModel(nodes, weights, ReadSignatureOutputs(root));
    }

    private static TfjsNode ReadNode(JsonElement node)
    {
        var inputs = node.TryGetProperty("input", out var inputArray)
            ? inputArray.EnumerateArray().Select(i => i.GetString()!).ToList()
            : [];
        var attributes = node.TryGetProperty("attr", out var attr) ? attr.Clone() : default;
        return new TfjsNode(node.GetProperty("name").GetString()!, node.GetProperty("op").GetString()!, inputs, new TfjsNodeAttributes(attributes));
    }

    /// <summary>The signature may sit at the top level or under <c>userDefinedMetadata</c>, with or without <c>:0</c>.</summary>
    private static List<string> ReadSignatureOutputs(JsonElement root)
    {
        var signature = root.TryGetProperty("signature", out var top) ? top
            : root.TryGetProperty("userDefinedMetadata", out var meta) && meta.TryGetProperty("signature", out var nested) ? nested
            : default;
        if (signature.ValueKind != JsonValueKind.Object || !signature.TryGetProperty("outputs", out var outputs))
        {
            return [];
        }

        return outputs.EnumerateObject()
            .Select(o => TensorNames.NodeName(o.Value.TryGetProperty("name", out var n) ? n.GetString()! : o.Name))
            .ToList();
    }
}

/// <summary>TF tensor names are <c>node</c>, <c>node:0</c> or <c>node:1</c>; the graphs we import only use output 0.</summary>
internal static class TensorNames
{
    public static string NodeName(string tensorName)
    {
        var colon = tensorName.LastIndexOf(':');
        if (colon < 0)
        {
            return tensorName;
        }

        var index = tensorName[(colon + 1)..];
        if (index != "0")
        {
            throw new NotSupportedException($"Tensor '{tensorName}' is output {index} of its node; only single-output nodes are imported.");
        }

        return tensorName[..colon];
    }
}
