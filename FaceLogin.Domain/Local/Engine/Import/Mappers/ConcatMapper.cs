namespace FaceLogin.Domain.Local.Engine.Import.Mappers;

/// <summary>ConcatV2 (axis as the last input). Rank-4 inputs concatenate in NCHW on the remapped axis.</summary>
internal sealed class ConcatMapper : IOpMapper
{
    public IReadOnlyCollection<string> Ops { get; } = ["ConcatV2", "Concat"];

    public void Map(TfjsNode node, ImportContext context)
    {
        // ConcatV2 puts the axis last; the old Concat puts it first.
        var axisInput = node.Op == "ConcatV2" ? node.Inputs[^1] : node.Inputs[0];
        var valueInputs = node.Op == "ConcatV2" ? node.Inputs.Take(node.Inputs.Count - 1) : node.Inputs.Skip(1);
        var parts = valueInputs.Where(i => !i.StartsWith('^')).Select(context.Get).ToList();
        var rank = parts[0].Rank;
        var axis = context.RequireConstant(axisInput, "axis").AsInts()[0];
        axis = axis < 0 ? axis + rank : axis;

        var nchw = rank == 4 && parts.Any(p => p.IsNchw);
        var operands = parts.Select((p, i) => nchw ? ConstantOrActivation(context, p, node.Name + "/in" + i) : context.InTfLayout(p, node.Name + "/in" + i));
        var output = context.Builder.AddNode("Concat", operands.ToList(), node.Name, OnnxAttribute.Int("axis", nchw ? Layout.NchwAxis(axis) : axis));

        var shape = (int[])parts[0].Shape.Clone();
        shape[axis] = parts.Sum(p => p.Shape[axis]);
        context.Set(node.Name, new ImportedValue(output, shape, nchw, null));
    }

    /// <summary>A full-shape constant in an NCHW concat is transposed (not broadcast) like the activations beside it.</summary>
    private static string ConstantOrActivation(ImportContext context, ImportedValue part, string hint) =>
        part.Constant is { } constant ? context.ConstantForNchw(constant, hint) : part.OnnxName!;
}
