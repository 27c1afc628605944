using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine.Detection;

namespace FaceLogin.Tests.Local.Engine.Detection;

public sealed class BlazeFaceDecoderTests
{
    [Fact]
    public void Logits_and_boxes_are_interleaved_into_rows_whatever_order_they_come_in()
    {
        float[] logits = [1, 2, 3];
        var boxes = Enumerable.Range(0, 48).Select(i => 100f + i).ToArray();

        var rows = BlazeFaceDecoder.ToRows([boxes, logits], anchorCount: 3);

        Assert.Equal(3 * 17, rows.Length);
        Assert.Equal([1f, .. Enumerable.Range(100, 16).Select(i => (float)i)], rows[..17]);
        Assert.Equal(2, rows[17]);
        Assert.Equal(116, rows[18]);
        Assert.Equal(3, rows[34]);
        Assert.Equal(147, rows[50]);
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
