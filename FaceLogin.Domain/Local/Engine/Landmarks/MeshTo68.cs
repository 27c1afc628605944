using FaceLogin.Domain.Faces;

namespace FaceLogin.Domain.Local.Engine.Landmarks;

/// <summary>
/// Which FaceMesh vertices stand for each of the 68 iBUG points (a published correspondence between MediaPipe's
/// canonical mesh and the 300-W annotation; where two vertices are given, the point is their midpoint).
/// </summary>
internal static class MeshTo68
{
    private static readonly int[][] Correspondence =
    [
        // Jaw 0–16
        [127], [234], [93], [132, 58], [58, 172], [136], [150], [176], [152],
        [400], [379], [365], [397, 288], [361], [323], [454], [356],
        // Brows 17–26
        [70], [63], [105], [66], [107],
        [336], [296], [334], [293], [300],
        // Nose 27–35
        [168, 6], [197, 195], [5], [4], [75], [97], [2], [326], [305],
        // Eyes 36–47 (image-left eye first)
        [33], [160], [158], [133], [153], [144],
        [362], [385], [387], [263], [373], [380],
        // Outer lips 48–59
        [61], [39], [37], [0], [267], [269], [291],
        [321], [314], [17], [84], [91],
        // Inner lips 60–67
        [78], [82], [13], [312], [308],
        [317], [14], [87],
    ];

    public static FacePoint[] Convert(IReadOnlyList<FacePoint> mesh)
    {
        var points = new FacePoint[FaceShape.PointCount];
        for (var i = 0; i < points.Length; i++)
        {
            var vertices = Correspondence[i];
            float x = 0, y = 0;
            foreach (var v in vertices)
            {
                x += mesh[v].X;
                y += mesh[v].Y;
            }

            points[i] = new FacePoint(x / vertices.Length, y / vertices.Length);
        }

        return points;
    }
}
