namespace FaceLogin.Domain.Local.Engine.Import;

/// <summary>
/// TensorFlow's output size and padding for one spatial axis. 'SAME' puts the odd pixel at the end
/// (bottom/right), which symmetric ONNX auto_pad does not reproduce: so pads are always explicit.
/// </summary>
internal static class TfPadding
{
    public static (int Output, int Begin, int End) Compute(string padding, int input, int kernel, int stride, int dilation = 1)
    {
        var effectiveKernel = ((kernel - 1) * dilation) + 1;
        switch (padding)
        {
            case "VALID":
                return (((input - effectiveKernel) / stride) + 1, 0, 0);
            case "SAME":
                var output = (input + stride - 1) / stride;
                var total = Math.Max(((output - 1) * stride) + effectiveKernel - input, 0);
                return (output, total / 2, total - (total / 2));
            default:
                throw new NotSupportedException($"Padding '{padding}' is not supported (only SAME and VALID).");
        }
    }
}
