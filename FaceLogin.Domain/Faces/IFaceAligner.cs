namespace FaceLogin.Domain.Faces;

/// <summary>Cuts the face out of the image the way the recogniser was trained to see it (its "chip").</summary>
public interface IFaceAligner
{
    /// <summary>Side of the square chip in pixels.</summary>
    int ChipSize { get; }

    RgbaImage Align(RgbaImage image, FaceShape shape);
}
