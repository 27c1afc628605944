using FaceLogin.Domain.Faces;

namespace FaceLogin.Domain.Local.Engine.Quality;

/// <summary>
/// Yaw, pitch and roll from four 2-D points (eye centres, nose tip, mouth centre), using the geometry of an average head:
/// the nose tip stands <see cref="NoseDepthPerEyeDistance"/> eye distances in front of the eyes, and on a frontal face
/// it sits <see cref="FrontalNoseRatio"/> of the way from the eyes down to the mouth (dlib's mean face).
/// Turning the head moves the nose tip sideways by depth·sin(yaw) while the eyes move closer by cos(yaw); tilting it moves the
/// nose tip up or down the same way. Approximate (a few degrees) but monotonic, which is what a pose filter needs.
/// Signs: yaw &gt; 0 when the nose points to the image's right, pitch &gt; 0 when the face looks up, roll &gt; 0 when the
/// eye line turns clockwise in the image.
/// </summary>
internal static class HeadPoseEstimator
{
    public const double NoseDepthPerEyeDistance = 0.4;

    /// <summary>(nose tip − eye midpoint) / (mouth − eye midpoint), vertically, on dlib's mean face.</summary>
    public const double FrontalNoseRatio = 0.531;

    /// <summary>Eye-to-mouth distance over eye-to-eye distance on dlib's mean face.</summary>
    public const double MouthDropPerEyeDistance = 1.066;

    public static FacePose Estimate(FacePoint eyeLeft, FacePoint eyeRight, FacePoint noseTip, FacePoint mouthCentre)
    {
        var roll = Math.Atan2(eyeRight.Y - eyeLeft.Y, eyeRight.X - eyeLeft.X);
        var midX = (eyeLeft.X + eyeRight.X) / 2.0;
        var midY = (eyeLeft.Y + eyeRight.Y) / 2.0;
        var (sin, cos) = Math.SinCos(-roll);
        (double X, double Y) Upright(FacePoint p) =>
            ((p.X - midX) * cos - (p.Y - midY) * sin, (p.X - midX) * sin + (p.Y - midY) * cos);

        var eyeDistance = Math.Max(1e-6, Math.Sqrt(Math.Pow(eyeRight.X - eyeLeft.X, 2) + Math.Pow(eyeRight.Y - eyeLeft.Y, 2)));
        var nose = Upright(noseTip);
        var mouth = Upright(mouthCentre);

        // nose.X / eyeDistance = depth·sin(yaw) / (eyeDistance·cos(yaw))
        var yaw = Math.Atan(nose.X / eyeDistance / NoseDepthPerEyeDistance);

        // The eye distance shrinks with yaw; the eye-to-mouth drop does not, so pitch is measured against the drop.
        var drop = Math.Max(1e-6, mouth.Y);
        var ratio = nose.Y / drop;
        var depthPerDrop = NoseDepthPerEyeDistance / MouthDropPerEyeDistance;
        var pitch = Math.Atan((FrontalNoseRatio - ratio) / depthPerDrop);
        if (mouth.Y <= 0)
        {
            // Mouth above the eyes: upside down or garbage points; call it as extreme as it gets.
            pitch = Math.PI / 2;
        }

        return new FacePose(ToDegrees(yaw), ToDegrees(pitch), ToDegrees(roll));
    }

    public static FacePose Estimate(FaceShape shape) => Estimate(
        shape.EyeLeftCentre,
        shape.EyeRightCentre,
        shape.NoseTip,
        new FacePoint((shape.MouthLeft.X + shape.MouthRight.X) / 2, (shape.MouthLeft.Y + shape.MouthRight.Y) / 2));

    public static FacePose Estimate(FaceKeypoints keypoints) =>
        Estimate(keypoints.EyeLeft, keypoints.EyeRight, keypoints.Nose, keypoints.Mouth);

    private static float ToDegrees(double radians) => (float)(radians * 180 / Math.PI);
}
