namespace FaceLogin.Domain.Local.Engine.Import.Mappers;

/// <summary>Dense layers: MatMul and _FusedMatMul (BiasAdd then an activation) with a constant right-hand side.</summary>
internal sealed class MatMulMapper : IOpMapper
{
    public IReadOnlyCollection<string> Ops { get; } = ["MatMul", "_FusedMatMul"];

    public void Map(TfjsNode node, ImportContext context)
    {
        var input = context.Get(node.Inputs[0]);
        if (input.Rank != 2 || input.IsConstant)
        {
            throw new NotSupportedException($"{node.Name}: MatMul needs a rank-2 activation on the left.");
        }

        if (node.Attributes.Bool("transpose_a") == true)
        {
            throw new NotSupportedException($"{node.Name}: transpose_a is not supported.");
        }

        var kernel = context.RequireConstant(node.Inputs[1], "kernel");
        var (rows, columns) = (kernel.Shape[0], kernel.Shape[1]);
        var values = kernel.AsFloats();
        if (node.Attributes.Bool("transpose_b") == true)
        {
            values = Transpose(values, rows, columns);
            (rows, columns) = (columns, rows);
        }

        var builder = context.Builder;
        var output = builder.AddNode("MatMul", [input.OnnxName!, builder.AddFloatInitializer(node.Name + "/W", values, rows, columns)], node.Name + "/matmul");

        var fusedOps = node.Attributes.Strings("fused_ops");
        foreach (var (op, index) in fusedOps.Select((op, index) => (op, index)))
        {
            if (op == "BiasAdd" && index == 0)
            {
                var bias = context.RequireConstant(node.Inputs[2], "bias");
                output = builder.AddNode("Add", [output, builder.AddFloatInitializer(node.Name + "/B", bias.AsFloats(), columns)], node.Name + "/bias");
                continue;
            }

            // The fused args are [bias, alpha]: the PReLU slope follows the bias.
            var alpha = op == "Prelu" ? context.RequireConstant(node.Inputs[fusedOps[0] == "BiasAdd" ? 3 : 2], "PReLU alpha") : null;
            output = FusedActivation.Apply(context, op, output, isNchw: false, alpha, node.Attributes, node.Name + "/" + op);
        }

        context.Set(node.Name, ImportedValue.Plain(output, [input.Shape[0], columns]));
    }

    private static float[] Transpose(float[] values, int rows, int columns)
    {
        var result = new float[values.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                result[(c * rows) + r] = values[(r * columns) + c];
            }
        }

        return result;
    }
}
