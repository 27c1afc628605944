namespace FaceLogin.Domain.Local.Engine.Import.Mappers;

/// <summary>Pad and PadV2 (constant mode), with TF's [[before, after] per axis] re-ordered to NCHW when needed.</summary>
internal sealed class PadMapper : IOpMapper
{
    public IReadOnlyCollection<string> Ops { get; } = ["Pad", "PadV2"];

    public void Map(TfjsNode node, ImportContext context)
    {
        var input = context.Get(node.Inputs[0]);
        var paddings = context.RequireConstant(node.Inputs[1], "paddings").AsInts();
        var rank = input.Rank;
        var begins = new long[rank];
        var ends = new long[rank];
        for (var tfAxis = 0; tfAxis < rank; tfAxis++)
        {
            var onnxAxis = input.IsNchw ? Layout.NchwAxis(tfAxis) : tfAxis;
            begins[onnxAxis] = paddings[2 * tfAxis];
            ends[onnxAxis] = paddings[(2 * tfAxis) + 1];
        }

        var builder = context.Builder;
        var inputs = new List<string>
        {
            context.Operand(input, partnerIsNchw: false, node.Name + "/in"),
            builder.AddInt64Initializer(node.Name + "/pads", [.. begins, .. ends], 2 * rank),
        };
        if (node.Op == "PadV2")
        {
            var fill = context.RequireConstant(node.Inputs[2], "constant value").AsFloats()[0];
            inputs.Add(builder.AddFloatInitializer(node.Name + "/value", [fill]));
        }

        var output = builder.AddNode("Pad", inputs, node.Name, OnnxAttribute.String("mode", "constant"));
        var shape = input.Shape.Select((d, i) => d + paddings[2 * i] + paddings[(2 * i) + 1]).ToArray();

        // A constant was padded in TF layout; its result is a computed value, not the constant (users must read the Pad).
        context.Set(node.Name, input.IsConstant
            ? context.FromTfLayout(output, shape, node.Name)
            : input with { OnnxName = output, Shape = shape });
    }
}
