using FaceLogin.Domain.Faces;

namespace FaceLogin.Domain.Local.Engine.Detection;

/// <summary>A decoded detection before suppression: box and six keypoints in the same coordinates.</summary>
internal readonly record struct FaceCandidate(PixelRect Box, float Score, FacePoint[] Keypoints)
{
    public FaceCandidate Map(Func<FacePoint, FacePoint> map, float scale)
    {
        var topLeft = map(new FacePoint(Box.X, Box.Y));
        return new FaceCandidate(
            new PixelRect(topLeft.X, topLeft.Y, Box.Width * scale, Box.Height * scale),
            Score,
            [.. Keypoints.Select(map)]);
    }

    public DetectedFace ToDetectedFace() => new(
        Box,
        Score,
        new FaceKeypoints(Keypoints[0], Keypoints[1], Keypoints[2], Keypoints[3], Keypoints[4], Keypoints[5]));
}
