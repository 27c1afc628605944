using FaceLogin.Domain.Faces;

namespace FaceLogin.Domain.Local.Engine.Detection;

/// <summary>
/// BlazeFace's anchor centres (as human's <c>generateAnchors</c> makes them for the 256 px model): a 16×16 grid with
/// 2 anchors per cell (stride 16), then an 8×8 grid with 6 per cell (stride 32): 512 + 384 = 896 anchors, in the
/// order of the model's concatenated outputs. Centres are in input pixels, cell centres at <c>stride·(i + 0.5)</c>.
/// </summary>
internal static class BlazeFaceAnchors
{
    private static readonly (int Stride, int PerCell)[] Layers = [(16, 2), (32, 6)];

    public static FacePoint[] Generate(int inputSize)
    {
        var anchors = new List<FacePoint>();
        foreach (var (stride, perCell) in Layers)
        {
            var cells = (inputSize + stride - 1) / stride;
            for (var gy = 0; gy < cells; gy++)
            {
                for (var gx = 0; gx < cells; gx++)
                {
                    for (var n = 0; n < perCell; n++)
                    {
                        anchors.Add(new FacePoint(stride * (gx + 0.5f), stride * (gy + 0.5f)));
                    }
                }
            }
        }

        return [.. anchors];
    }

    /// <summary>How many of the anchors come from the first (stride 16) layer.</summary>
    public static int FirstLayerCount(int inputSize)
    {
        var cells = (inputSize + Layers[0].Stride - 1) / Layers[0].Stride;
        return cells * cells * Layers[0].PerCell;
    }
}
