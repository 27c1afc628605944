namespace FaceLogin.Domain.Faces.Liveness;

/// <summary>
/// Whether a turn's yaw agrees with how much the face was foreshortened, as a head's does and a flat picture's does not.
/// Turned by an angle θ about the vertical, a face's width in the image shrinks by about cos θ while its height stays: for a
/// head and for a picture alike. But the yaw the engine reads comes from where the nose sits between the eyes, which moves only
/// because a real nose stands in front of the face: a flat picture has to be turned much further than a head to read as
/// turned at all (measured on synthetic turned prints: 40° of rotation read as 4–7° of yaw, 55° as up to 15°; docs/liveness.md,
/// "Foreshortening"). So the agreement is the yaw read over the angle the foreshortening says: about 1 for a head, a fraction
/// for a picture turned far enough to pass for a turn. It complements <see cref="PlanarMotionCheck"/>, whose residual a
/// picture turned that far no longer keeps low (the landmarker's errors on a strongly foreshortened face are not one homography).
/// </summary>
public static class ForeshorteningCheck
{
    /// <summary>
    /// Below this many degrees the width changes too little to read an angle from (landmark noise is a few per cent of the
    /// width): the turn is taken as agreeing.
    /// </summary>
    public const double MinReadableDegrees = 20;

    /// <param name="frontal">The frontal frame's 68 landmarks.</param>
    /// <param name="turned">The turned frame's.</param>
    /// <param name="yawDegrees">The yaw the engine read in the turned frame.</param>
    /// <returns>|yaw| over the angle the foreshortening implies; <see cref="double.PositiveInfinity"/> when that angle is too small to read.</returns>
    public static double Agreement(FaceShape frontal, FaceShape turned, double yawDegrees)
    {
        var ratio = WidthOverHeight(turned) / WidthOverHeight(frontal);
        var degrees = Math.Acos(Math.Clamp(ratio, 0, 1)) * 180 / Math.PI;
        return degrees < MinReadableDegrees ? double.PositiveInfinity : Math.Abs(yawDegrees) / degrees;
    }

    /// <summary>The eyes' distance over the eyes-to-mouth distance: the face's width relative to a height a turn does not change.</summary>
    private static double WidthOverHeight(FaceShape shape)
    {
        var (left, right) = (shape.EyeLeftCentre, shape.EyeRightCentre);
        var eyes = new FacePoint((left.X + right.X) / 2, (left.Y + right.Y) / 2);
        var mouth = new FacePoint((shape.MouthLeft.X + shape.MouthRight.X) / 2, (shape.MouthLeft.Y + shape.MouthRight.Y) / 2);
        var height = Distance(eyes, mouth);
        return height <= 0 ? throw new ArgumentException("The face's eyes and mouth coincide; its landmarks give no scale.") : Distance(left, right) / height;
    }

    private static double Distance(FacePoint a, FacePoint b) => Math.Sqrt(((a.X - b.X) * (a.X - b.X)) + ((a.Y - b.Y) * (a.Y - b.Y)));
}
