namespace FaceLogin.Domain.Local.Engine.Import.Mappers;

/// <summary>Unary activations, PReLU, Softmax over TF's last axis, and Identity (an alias, no node).</summary>
internal sealed class ActivationMapper : IOpMapper
{
    public IReadOnlyCollection<string> Ops { get; } = ["Relu", "Relu6", "Sigmoid", "Tanh", "Elu", "LeakyRelu", "Prelu", "Softmax", "Identity"];

    public void Map(TfjsNode node, ImportContext context)
    {
        var input = context.Get(node.Inputs[0]);
        if (node.Op == "Identity")
        {
            context.Set(node.Name, input);
            return;
        }

        if (input.IsConstant)
        {
            throw new NotSupportedException($"{node.Name}: {node.Op} of a constant is not folded by the importer.");
        }

        string output;
        if (node.Op == "Softmax")
        {
            // TF normalises the last axis; in NCHW that is the channel axis.
            output = context.Builder.AddNode("Softmax", [input.OnnxName!], node.Name, OnnxAttribute.Int("axis", input.IsNchw ? 1 : -1));
        }
        else
        {
            var alpha = node.Op == "Prelu" ? context.RequireConstant(node.Inputs[1], "PReLU alpha") : null;
            output = FusedActivation.Apply(context, node.Op, input.OnnxName!, input.IsNchw, alpha, node.Attributes, node.Name);
        }

        context.Set(node.Name, input with { OnnxName = output });
    }
}
