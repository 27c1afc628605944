using FaceLogin.Domain.Faces;

namespace FaceLogin.Domain.Local.Engine.Alignment;

/// <summary>Cuts dlib's 150 px face chip (padding 0.25) from a 68-point shape, the input the dlib ResNet was trained on.</summary>
public sealed class DlibChipAligner(int chipSize = 150, double padding = 0.25) : IFaceAligner
{
    public int ChipSize => chipSize;

    public RgbaImage Align(RgbaImage image, FaceShape shape) =>
        DlibFaceChip.Extract(image, DlibFaceChip.ChipToImage(shape.Points, chipSize, padding), chipSize);
}
