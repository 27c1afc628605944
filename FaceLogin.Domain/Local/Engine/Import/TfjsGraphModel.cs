using System.Text.Json;

namespace FaceLogin.Domain.Local.Engine.Import;

/// <summary>One node of a TF.js graph model: a TensorFlow GraphDef node as the TF.js converter wrote it.</summary>
internal sealed record TfjsNode(string Name, string Op, IReadOnlyList<string> Inputs, TfjsNodeAttributes Attributes);

/// <summary>
/// A TF.js graph model (<c>format: graph-model</c>): its nodes in file order and its weights. The file's signature is
/// not read: each recipe names the tensors it exports (faceres's embedding is not a signature output).
/// </summary>
internal sealed record TfjsGraphModel(IReadOnlyList<TfjsNode> Nodes, IReadOnlyDictionary<string, TfjsTensor> Weights);

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
        return new TfjsGraphModel(nodes, weights);
    }

    private static TfjsNode ReadNode(JsonElement node)
    {
        var inputs = node.TryGetProperty("input", out var inputArray)
            ? inputArray.EnumerateArray().Select(i => i.GetString()!).ToList()
            : [];
        var attributes = node.TryGetProperty("attr", out var attr) ? attr.Clone() : default;
        return new TfjsNode(node.GetProperty("name").GetString()!, node.GetProperty("op").GetString()!, inputs, new TfjsNodeAttributes(attributes));
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
