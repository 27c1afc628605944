namespace FaceLogin.Domain.Local.Engine.Import.Mappers;

/// <summary>
/// Reshape and Squeeze work on TF's element order, so an NCHW input is transposed back to NHWC first
/// (flattening NCHW would scramble the dense heads' inputs and BlazeFace's anchors).
/// </summary>
internal sealed class ReshapeMapper : IOpMapper
{
    public IReadOnlyCollection<string> Ops { get; } = ["Reshape", "Squeeze"];

    public void Map(TfjsNode node, ImportContext context)
    {
        var input = context.Get(node.Inputs[0]);
        var source = context.InTfLayout(input, node.Name + "/in");
        var builder = context.Builder;
        int[] shape;
        string result;
        if (node.Op == "Reshape")
        {
            // The ONNX target keeps TF's -1, so a dynamic batch stays dynamic.
            var requested = context.RequireConstant(node.Inputs[1], "shape").AsInts();
            shape = ResolveReshape(node, input.Shape, requested);
            var target = builder.AddInt64Initializer(node.Name + "/shape", requested.ToLongs(), requested.Length);
            result = builder.AddNode("Reshape", [source, target], node.Name);
        }
        else
        {
            var axes = SqueezeAxes(input.Shape, node.Attributes.Ints("squeeze_dims"));
            shape = input.Shape.Where((_, i) => !axes.Contains(i)).ToArray();
            var axesName = builder.AddInt64Initializer(node.Name + "/axes", axes.Select(a => (long)a).ToArray(), axes.Length);
            result = builder.AddNode("Squeeze", [source, axesName], node.Name);
        }

        context.Set(node.Name, context.FromTfLayout(result, shape, node.Name));
    }

    private static int[] ResolveReshape(TfjsNode node, int[] inputShape, int[] requested)
    {
        var total = inputShape.Aggregate(1, (a, b) => a * b);
        var known = requested.Where(d => d != -1).Aggregate(1, (a, b) => a * b);
        var resolved = requested.Select(d => d == -1 ? total / known : d).ToArray();
        if (resolved.Aggregate(1, (a, b) => a * b) != total)
        {
            throw new InvalidDataException($"{node.Name}: cannot reshape [{string.Join(',', inputShape)}] to [{string.Join(',', requested)}].");
        }

        return resolved;
    }

    private static int[] SqueezeAxes(int[] shape, long[] axes) =>
        axes.Length == 0
            ? Enumerable.Range(0, shape.Length).Where(i => shape[i] == 1).ToArray()
            : axes.Select(a => (int)(a < 0 ? a + shape.Length : a)).Order().ToArray();
}
