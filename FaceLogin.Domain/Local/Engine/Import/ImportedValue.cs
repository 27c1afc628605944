namespace FaceLogin.Domain.Local.Engine.Import;

/// <summary>
/// What a TF tensor became in the ONNX graph. <see cref="Shape"/> is always TensorFlow's logical shape (NHWC for images),
/// whatever the ONNX layout. Rank-4 activations are stored NCHW (<see cref="IsNchw"/>) so that ONNX Conv and pooling
/// run natively; constants stay unmaterialised until an op decides which layout it needs them in.
/// </summary>
internal sealed record ImportedValue(string? OnnxName, int[] Shape, bool IsNchw, TfjsTensor? Constant)
{
    public bool IsConstant => Constant is not null;

    public int Rank => Shape.Length;

    public static ImportedValue Activation(string onnxName, int[] shape) => new(onnxName, shape, shape.Length == 4, null);

    public static ImportedValue Plain(string onnxName, int[] shape) => new(onnxName, shape, false, null);

    public static ImportedValue Const(TfjsTensor tensor) => new(null, tensor.Shape, false, tensor);
}
