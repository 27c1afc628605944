namespace FaceLogin.Domain.Faces;

/// <summary>Turns an aligned face chip into an identity vector.</summary>
public interface IFaceEmbedder
{
    /// <summary>Length of every embedding.</summary>
    int Length { get; }

    /// <summary>An L2-normalised embedding of the chip made by the matching <see cref="IFaceAligner"/>.</summary>
    float[] Embed(RgbaImage chip);
}
