namespace FaceLogin.Domain.Local.Engine.Landmarks;

/// <summary>MediaPipe FaceMesh and how its input is cut from a detection.</summary>
public sealed record FaceMeshOptions(string ModelPath)
{
    /// <summary>Side of the square crop in detector-box sides (MediaPipe uses 1.5, human 1.4).</summary>
    public float CropScale { get; init; } = 1.5f;

    /// <summary>Passes after the first, each cutting the crop around the previous mesh (MediaPipe's tracking ROI).</summary>
    public int RefinePasses { get; init; } = 1;
}
