namespace FaceLogin.Domain.Local.Engine.Import.Mappers;

/// <summary>
/// Mean, Sum and Max over axes, remapped to NCHW. Without keep_dims the surviving axes come out in NCHW order;
/// a Transpose restores TF's order when that differs (it does not for the usual global pooling over H and W).
/// </summary>
internal sealed class ReductionMapper : IOpMapper
{
    public IReadOnlyCollection<string> Ops { get; } = ["Mean", "Sum", "Max"];

    public void Map(TfjsNode node, ImportContext context)
    {
        var input = context.Get(node.Inputs[0]);
        var rank = input.Rank;
        var tfAxes = context.RequireConstant(node.Inputs[1], "axes").AsInts().Select(a => a < 0 ? a + rank : a).Distinct().Order().ToArray();
        var keepDims = node.Attributes.Bool("keep_dims") ?? false;
        var onnxAxes = input.IsNchw ? tfAxes.Select(a => Layout.NchwAxis(a)).Order().ToArray() : tfAxes;
        var builder = context.Builder;

        var reduced = node.Op switch
        {
            // Opset 13: ReduceSum takes its axes as an input, ReduceMean and ReduceMax as an attribute.
            "Sum" => builder.AddNode(
                "ReduceSum",
                [input.OnnxName!, builder.AddInt64Initializer(node.Name + "/axes", onnxAxes.ToLongs(), onnxAxes.Length)],
                node.Name,
                OnnxAttribute.Int("keepdims", keepDims ? 1 : 0)),
            _ => builder.AddNode(
                node.Op == "Mean" ? "ReduceMean" : "ReduceMax",
                [input.OnnxName!],
                node.Name,
                OnnxAttribute.Ints("axes", onnxAxes.ToLongs()),
                OnnxAttribute.Int("keepdims", keepDims ? 1 : 0)),
        };

        var shape = keepDims
            ? input.Shape.Select((d, i) => tfAxes.Contains(i) ? 1 : d).ToArray()
            : input.Shape.Where((_, i) => !tfAxes.Contains(i)).ToArray();
        if (keepDims || !input.IsNchw)
        {
            context.Set(node.Name, new ImportedValue(reduced, shape, input.IsNchw && keepDims, null));
            return;
        }

        // The TF axes that survive, listed in the NCHW order ONNX kept them in.
        var survivors = new[] { 0, 3, 1, 2 }.Where(a => !tfAxes.Contains(a)).ToArray();
        var perm = survivors.Select(a => survivors.Order().ToList().IndexOf(a)).ToArray();
        var inverse = Enumerable.Range(0, survivors.Length).Select(i => (long)Array.IndexOf(perm, i)).ToArray();
        var ordered = perm.SequenceEqual(Enumerable.Range(0, perm.Length))
            ? reduced
            : builder.AddNode("Transpose", [reduced], node.Name + "/tf_order", OnnxAttribute.Ints("perm", inverse));
        context.Set(node.Name, ImportedValue.Plain(ordered, shape));
    }
}
