using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine.Detection;

namespace FaceLogin.Tests.Local.Engine.Detection;

public sealed class BlazeFaceAnchorsTests
{
    [Fact]
    public void The_256_px_model_has_896_anchors_in_two_layers()
    {
        var anchors = BlazeFaceAnchors.Generate(256);

        Assert.Equal(896, anchors.Length);
        Assert.Equal(512, BlazeFaceAnchors.FirstLayerCount(256));
    }

    [Fact]
    public void Anchors_sit_at_cell_centres_row_by_row_with_repeats_per_cell()
    {
        var anchors = BlazeFaceAnchors.Generate(256);

        // Stride 16, two per cell: (8,8) twice, then (24,8).
        Assert.Equal(new FacePoint(8, 8), anchors[0]);
        Assert.Equal(new FacePoint(8, 8), anchors[1]);
        Assert.Equal(new FacePoint(24, 8), anchors[2]);
        // Second row of the first layer starts after 16 cells × 2.
        Assert.Equal(new FacePoint(8, 24), anchors[32]);
        Assert.Equal(new FacePoint(248, 248), anchors[511]);
        // Stride 32, six per cell.
        Assert.Equal(new FacePoint(16, 16), anchors[512]);
        Assert.Equal(new FacePoint(16, 16), anchors[517]);
        Assert.Equal(new FacePoint(48, 16), anchors[518]);
        Assert.Equal(new FacePoint(240, 240), anchors[895]);
    }
}
