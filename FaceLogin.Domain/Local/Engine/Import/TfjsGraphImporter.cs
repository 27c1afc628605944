using FaceLogin.Domain.Local.Engine.Import.Mappers;

namespace FaceLogin.Domain.Local.Engine.Import;

/// <summary>
/// Converts a TF.js graph model into an ONNX graph: the NHWC input is scaled and transposed once to NCHW,
/// every node reachable from the requested outputs is translated by its op mapper, and outputs leave in TF layout.
/// </summary>
internal sealed class TfjsGraphImporter(IEnumerable<IOpMapper> mappers)
{
    private readonly Dictionary<string, IOpMapper> _mappers = mappers
        .SelectMany(m => m.Ops.Select(op => (op, m)))
        .ToDictionary(p => p.op, p => p.m, StringComparer.Ordinal);

    /// <summary>An importer with every op mapper this project knows.</summary>
    public static TfjsGraphImporter CreateDefault() => new(
    [
        new ConvolutionMapper(), new PoolingMapper(), new ElementwiseMapper(), new ActivationMapper(),
        new MatMulMapper(), new ReshapeMapper(), new ReductionMapper(), new ConcatMapper(), new PadMapper(),
    ]);

    public OnnxGraphBuilder Import(TfjsGraphModel model, TfjsImportOptions options)
    {
        var builder = new OnnxGraphBuilder(options.InputName);
        var context = new ImportContext(builder);
        var byName = model.Nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        var batchIsDynamic = false;

        foreach (var node in TopologicalOrder(byName, options.Outputs.SelectMany(o => o.TfTensors).Select(TensorNames.NodeName)))
        {
            switch (node.Op)
            {
                case "Const":
                    context.Set(node.Name, ImportedValue.Const(model.Weights.TryGetValue(node.Name, out var tensor)
                        ? tensor
                        : throw new InvalidDataException($"Constant '{node.Name}' has no entry in the weights manifest.")));
                    break;
                case "Placeholder":
                    var (value, dynamic) = AddInput(node, options, builder);
                    batchIsDynamic = dynamic;
                    context.Set(node.Name, value);
                    break;
                default:
                    if (!_mappers.TryGetValue(node.Op, out var mapper))
                    {
                        throw new NotSupportedException($"{node.Name}: op '{node.Op}' has no ONNX mapping.");
                    }

                    mapper.Map(node, context);
                    break;
            }
        }

        foreach (var output in options.Outputs)
        {
            AddOutput(output, context, batchIsDynamic);
        }

        return builder;
    }

    private static (ImportedValue Value, bool DynamicBatch) AddInput(TfjsNode node, TfjsImportOptions options, OnnxGraphBuilder builder)
    {
        var dims = node.Attributes.Has("shape") ? node.Attributes.RawShapeDims() : throw new InvalidDataException($"Input '{node.Name}' has no shape.");
        if (dims.Length != 4)
        {
            throw new NotSupportedException($"Input '{node.Name}' has rank {dims.Length}; only NHWC images are imported.");
        }

        var dynamic = dims[0] < 0;
        var shape = new[] { dynamic ? 1 : dims[0], dims[1], dims[2], dims[3] };
        var name = builder.AddInput(options.InputName, dynamic ? null : shape[0], shape[1], shape[2], shape[3]);
        var scaled = name;
        if (options.Scaling.Divisor != 1f)
        {
            scaled = builder.AddNode("Div", [scaled, builder.AddFloatInitializer("input_divisor", [options.Scaling.Divisor])], "input_scaled");
        }

        if (options.Scaling.Subtrahend != 0f)
        {
            scaled = builder.AddNode("Sub", [scaled, builder.AddFloatInitializer("input_offset", [options.Scaling.Subtrahend])], "input_centred");
        }

        var nchw = builder.AddNode("Transpose", [scaled], "input_nchw", OnnxAttribute.Ints("perm", Layout.NhwcToNchw));
        return (ImportedValue.Activation(nchw, shape), dynamic);
    }

    private static void AddOutput(ImportOutput output, ImportContext context, bool batchIsDynamic)
    {
        var parts = output.TfTensors.Select(context.Get).ToList();
        var names = parts.Select((p, i) => context.InTfLayout(p, output.Name + "_part" + i)).ToList();
        var shape = (int[])parts[0].Shape.Clone();
        var value = names[0];
        if (parts.Count > 1)
        {
            shape[output.ConcatAxis] = parts.Sum(p => p.Shape[output.ConcatAxis]);
            value = context.Builder.AddNode("Concat", names, output.Name + "_concat", OnnxAttribute.Int("axis", output.ConcatAxis));
        }

        var dims = shape.Select((d, i) => i == 0 && batchIsDynamic ? (int?)null : d).ToArray();
        context.Builder.AddOutput(value, output.Name, dims);
    }

    /// <summary>Depth-first from the outputs: visits only what they need, inputs before users, whatever the file order.</summary>
    private static List<TfjsNode> TopologicalOrder(Dictionary<string, TfjsNode> byName, IEnumerable<string> outputs)
    {
        var order = new List<TfjsNode>();
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false = in progress, true = done
        var stack = new Stack<(string Name, bool Expanded)>(outputs.Reverse().Select(o => (o, false)));
        while (stack.Count > 0)
        {
            var (name, expanded) = stack.Pop();
            if (expanded)
            {
                state[name] = true;
                order.Add(byName[name]);
                continue;
            }

            if (state.TryGetValue(name, out var done))
            {
                if (!done)
                {
                    throw new InvalidDataException($"The graph has a cycle through '{name}'.");
                }

                continue;
            }

            if (!byName.TryGetValue(name, out var node))
            {
                throw new InvalidDataException($"Node '{name}' is referenced but not defined.");
            }

            state[name] = false;
            stack.Push((name, true));
            foreach (var input in node.Inputs.Where(i => !i.StartsWith('^')).Reverse())
            {
                var inputName = TensorNames.NodeName(input);
                if (!state.ContainsKey(inputName))
                {
                    stack.Push((inputName, false));
                }
                else if (!state[inputName])
                {
                    throw new InvalidDataException($"The graph has a cycle through '{inputName}'.");
                }
            }
        }

        return order;
    }
}
