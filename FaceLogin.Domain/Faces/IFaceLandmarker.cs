namespace FaceLogin.Domain.Faces;

/// <summary>Places the 68 points of the iBUG 300-W / dlib layout on a detected face.</summary>
public interface IFaceLandmarker
{
    FaceShape Locate(RgbaImage image, DetectedFace face);
}

/// <summary>
/// 68 landmarks in pixels of the image, in the iBUG 300-W order dlib uses: 0–16 jaw, 17–26 brows, 27–35 nose,
/// 36–41 image-left eye, 42–47 image-right eye, 48–67 mouth.
/// </summary>
public readonly record struct FaceShape(IReadOnlyList<FacePoint> Points)
{
    public const int PointCount = 68;

    public FacePoint EyeLeftCentre => Mean(36, 42);

    public FacePoint EyeRightCentre => Mean(42, 48);

    public FacePoint NoseTip => Points[30];

    public FacePoint MouthLeft => Points[48];

    public FacePoint MouthRight => Points[54];

    private FacePoint Mean(int from, int to)
    {
        float x = 0, y = 0;
        for (var i = from; i < to; i++)
        {
            x += Points[i].X;
            y += Points[i].Y;
        }

        return new FacePoint(x / (to - from), y / (to - from));
    }
}
