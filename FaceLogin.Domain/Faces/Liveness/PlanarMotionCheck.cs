namespace FaceLogin.Domain.Faces.Liveness;

/// <summary>
/// How far the face's landmarks moved from a frontal to a turned frame unlike a flat picture's. Every point of a flat
/// picture (a print, a phone or laptop screen) moves between two views by one homography, whatever the picture shows;
/// the points of a real head lie at different depths (nose tip in front, jaw line behind), so when it turns they move by
/// no single homography. The residual is what is left after the best homography: the root-mean-square distance between
/// the frontal frame's landmarks and the turned frame's mapped onto them, over the frontal frame's inter-ocular distance,
/// so it does not depend on how large the face is in the image. About 0 for a flat picture (landmark noise aside);
/// larger the more the head turned. Measured on real clips in docs/liveness.md, "Planar motion".
/// The burst judge applies it to each turn against the frontal frame (<see cref="LivenessOptions.MinPlanarResidual"/>).
/// </summary>
public sealed class PlanarMotionCheck
{
    /// <param name="frontal">The 68 landmarks of the frame where the face looks at the camera.</param>
    /// <param name="turned">The 68 landmarks of the same face in a frame where the head (or the picture) is turned.</param>
    /// <returns>RMS reprojection error in the frontal frame, as a fraction of its inter-ocular distance.</returns>
    public double Residual(FaceShape frontal, FaceShape turned)
    {
        if (frontal.Points is not { Count: FaceShape.PointCount } || turned.Points is not { Count: FaceShape.PointCount })
        {
            throw new ArgumentException($"Both frames need the {FaceShape.PointCount} landmarks of the dlib layout.");
        }

        var interOcular = Distance(frontal.EyeLeftCentre, frontal.EyeRightCentre);
        if (interOcular <= 0)
        {
            throw new ArgumentException("The frontal frame's eyes coincide; its landmarks give no scale.");
        }

        var homography = Homography.Fit(turned.Points, frontal.Points);
        double sumOfSquares = 0;
        for (var i = 0; i < FaceShape.PointCount; i++)
        {
            var error = Distance(homography.Map(turned.Points[i]), frontal.Points[i]);
            sumOfSquares += error * error;
        }

        return Math.Sqrt(sumOfSquares / FaceShape.PointCount) / interOcular;
    }

    private static double Distance(FacePoint a, FacePoint b) => Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));
}
