using FaceLogin.Domain.Faces;

namespace FaceLogin.Domain.Local.Engine.Detection;

/// <summary>A decoded detection before suppression: box and six keypoints in the same coordinates.</summary>
internal readonly record struct FaceCandidate(PixelRect Box, float Score, FacePoint[] Keypoints)
{
    /// <summary>
    /// Maps through a rotation by a multiple of 90° (and a scale and shift): the box is the mapped corners' extent, the
    /// keypoints are mapped one by one, so an upside-down face's "left eye" lands on its real left eye.
    /// </summary>
    public FaceCandidate MapTurned(Func<FacePoint, FacePoint> map)
    {
        var a = map(new FacePoint(Box.X, Box.Y));
        var b = map(new FacePoint(Box.X + Box.Width, Box.Y + Box.Height));
        return new FaceCandidate(
            new PixelRect(Math.Min(a.X, b.X), Math.Min(a.Y, b.Y), Math.Abs(b.X - a.X), Math.Abs(b.Y - a.Y)),
            Score,
            [.. Keypoints.Select(map)]);
    }

    public DetectedFace ToDetectedFace() => new(
        Box,
        Score,
        new FaceKeypoints(Keypoints[0], Keypoints[1], Keypoints[2], Keypoints[3], Keypoints[4], Keypoints[5]));
}
