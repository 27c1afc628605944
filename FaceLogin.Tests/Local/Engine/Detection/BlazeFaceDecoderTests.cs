using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine.Detection;

namespace FaceLogin.Tests.Local.Engine.Detection;

public sealed class BlazeFaceDecoderTests
{
    [Fact]
    public void Outputs_are_concatenated_in_anchor_order_whatever_order_they_come_in()
    {
        // 2 anchors in the first layer, 1 in the second; every value tells where it came from.
        float[] scores1 = [1, 2];
        float[] scores2 = [3];
        var boxes1 = Enumerable.Range(0, 32).Select(i => 100f + i).ToArray();
        var boxes2 = Enumerable.Range(0, 16).Select(i => 200f + i).ToArray();

        var rows = BlazeFaceDecoder.ConcatenateOutputs([boxes2, scores1, boxes1, scores2], anchorCount: 3, firstLayerCount: 2);

        Assert.Equal(3 * 17, rows.Length);
        Assert.Equal(1, rows[0]);
        Assert.Equal(100, rows[1]);
        Assert.Equal(115, rows[16]);
        Assert.Equal(2, rows[17]);
        Assert.Equal(116, rows[18]);
        Assert.Equal(3, rows[34]);
        Assert.Equal(200, rows[35]);
        Assert.Equal(215, rows[50]);
    }

    [Fact]
    public void A_row_decodes_to_a_box_and_keypoints_relative_to_its_anchor()
    {
        FacePoint[] anchors = [new(8, 8), new(100, 50)];
        var rows = new float[2 * 17];
        rows[0] = -5; // score 0.007: dropped
        var row = rows.AsSpan(17);
        row[0] = 3; // sigmoid(3) = 0.9526
        row[1] = 4; // centre x offset
        row[2] = -2;
        row[3] = 60; // width
        row[4] = 70;
        for (var k = 0; k < 6; k++)
        {
            row[5 + 2 * k] = k;
            row[6 + 2 * k] = -k;
        }

        var candidates = BlazeFaceDecoder.Decode(rows, anchors, scoreThreshold: 0.75f);

        var face = Assert.Single(candidates);
        Assert.Equal(0.9526f, face.Score, 3);
        Assert.Equal(new PixelRect(104 - 30, 48 - 35, 60, 70), face.Box);
        Assert.Equal(new FacePoint(100, 50), face.Keypoints[0]);
        Assert.Equal(new FacePoint(105, 45), face.Keypoints[5]);
    }

    [Fact]
    public void The_threshold_is_applied_to_the_probability_not_the_logit()
    {
        FacePoint[] anchors = [new(8, 8), new(8, 8)];
        var rows = new float[2 * 17];
        rows[0] = 1.0f;   // 0.731
        rows[17] = 1.2f;  // 0.769

        var candidates = BlazeFaceDecoder.Decode(rows, anchors, scoreThreshold: 0.75f);

        Assert.Equal(0.769f, Assert.Single(candidates).Score, 3);
    }
}
