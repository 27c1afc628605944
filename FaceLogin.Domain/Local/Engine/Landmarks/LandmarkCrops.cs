using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine.Imaging;

namespace FaceLogin.Domain.Local.Engine.Landmarks;

/// <summary>Where a landmark net's square input is cut from: around a detection, or around a previous shape.</summary>
internal static class LandmarkCrops
{
    public static CropGeometry FromDetection(DetectedFace face, float scale, float shiftDown, bool derotate, int size)
    {
        var angle = derotate ? EyeLineAngle(face.Keypoints.EyeLeft, face.Keypoints.EyeRight) : 0;
        var side = Math.Max(face.Box.Width, face.Box.Height) * scale;
        return Around(face.Box.Centre, side, angle, shiftDown, size);
    }

    /// <summary>
    /// A crop framing the shape the way a detector box frames a face: the box is the points' extent in the upright
    /// frame of the eye line; the same scale and shift then apply as to a detection.
    /// </summary>
    public static CropGeometry FromShape(IReadOnlyList<FacePoint> points, float scale, float shiftDown, bool derotate, int size, DetectedFace face)
    {
        var shape = new FaceShape(points);
        var angle = derotate ? EyeLineAngle(shape.EyeLeftCentre, shape.EyeRightCentre) : 0;
        var (sin, cos) = Math.SinCos(-angle);
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        foreach (var p in points)
        {
            var x = p.X * cos - p.Y * sin;
            var y = p.X * sin + p.Y * cos;
            minX = Math.Min(minX, x);
            maxX = Math.Max(maxX, x);
            minY = Math.Min(minY, y);
            maxY = Math.Max(maxY, y);
        }

        var (sinBack, cosBack) = Math.SinCos(angle);
        var cx = (minX + maxX) / 2;
        var cy = (minY + maxY) / 2;
        var centre = new FacePoint((float)(cx * cosBack - cy * sinBack), (float)(cx * sinBack + cy * cosBack));
        // The 68 points span brows to chin; keep the crop about as large as the detection's so the net sees the scale it saw.
        var side = Math.Max(maxX - minX, maxY - minY) * scale;
        return Around(centre, Math.Max(side, Math.Max(face.Box.Width, face.Box.Height) * scale * 0.5), angle, shiftDown, size);
    }

    public static double EyeLineAngle(FacePoint eyeLeft, FacePoint eyeRight) =>
        Math.Atan2(eyeRight.Y - eyeLeft.Y, eyeRight.X - eyeLeft.X);

    private static CropGeometry Around(FacePoint centre, double side, double angle, float shiftDown, int size)
    {
        // "Down" is along the face's own vertical, which is the image's only when the face is upright.
        var (sin, cos) = Math.SinCos(angle);
        var shift = shiftDown * side;
        var shifted = new FacePoint((float)(centre.X - sin * shift), (float)(centre.Y + cos * shift));
        return new CropGeometry(shifted, side, angle, size);
    }
}
