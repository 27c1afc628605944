namespace FaceLogin.Domain.Local.Engine.Import.Mappers;

/// <summary>
/// Binary arithmetic with TF broadcasting. When one side is an NCHW activation, a constant other side is
/// re-laid out to broadcast the same way (per-channel <c>[C]</c> → <c>[1,C,1,1]</c>).
/// </summary>
internal sealed class ElementwiseMapper : IOpMapper
{
    private static readonly Dictionary<string, string> OnnxOps = new(StringComparer.Ordinal)
    {
        ["Add"] = "Add",
        ["AddV2"] = "Add",
        ["BiasAdd"] = "Add",
        ["Sub"] = "Sub",
        ["Mul"] = "Mul",
        ["RealDiv"] = "Div",
        ["Div"] = "Div",
        ["Minimum"] = "Min",
        ["Maximum"] = "Max",
    };

    public IReadOnlyCollection<string> Ops => OnnxOps.Keys;

    public void Map(TfjsNode node, ImportContext context)
    {
        var (a, b) = (context.Get(node.Inputs[0]), context.Get(node.Inputs[1]));
        if (a.IsConstant && b.IsConstant)
        {
            throw new NotSupportedException($"{node.Name}: arithmetic on two constants is not folded by the importer.");
        }

        var shape = Layout.Broadcast(a.Shape, b.Shape);
        var nchw = (a.IsNchw || b.IsNchw) && shape.Length == 4;
        var output = context.Builder.AddNode(
            OnnxOps[node.Op],
            [context.Operand(a, nchw, node.Name + "/a"), context.Operand(b, nchw, node.Name + "/b")],
            node.Name);
        context.Set(node.Name, new ImportedValue(output, shape, nchw, null));
    }
}
