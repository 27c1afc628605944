namespace FaceLogin.Domain.Local.Engine.Models;

/// <summary>The converted face models the local engine can load.</summary>
public enum FaceModel
{
    /// <summary>MediaPipe BlazeFace (the back-camera variant, as human ships it): boxes and 6 keypoints on a 256×256 input.</summary>
    BlazeFace,

    /// <summary>MediaPipe FaceMesh: 468 3-D landmarks on a 192×192 face crop.</summary>
    FaceMesh,

    /// <summary>MediaPipe Iris: eye contour and iris landmarks on a 64×64 eye crop.</summary>
    Iris,

    /// <summary>dlib's face-recognition ResNet (face-api's port): 128-d embedding of a 150×150 face chip.</summary>
    DlibResNet,

    /// <summary>face-api's FaceLandmark68Net: the 68 iBUG/dlib points on a 112×112 face crop.</summary>
    FaceLandmark68,

    /// <summary>HSE faceres: 1024-d embedding plus age and gender on a 224×224 face crop.</summary>
    FaceRes,

    /// <summary>human's anti-spoofing classifier on a 128×128 face crop.</summary>
    AntiSpoof,

    /// <summary>human's liveness classifier on a 32×32 face crop.</summary>
    Liveness,

    /// <summary>Faceplugin's MobileFaceNet (ArcFace-style recogniser): 512-d embedding of a 112×112 face aligned on 5 points.</summary>
    MobileFaceNet,

    /// <summary>Faceplugin's 68-point landmark net on a 64×64 grey face crop.</summary>
    FacepluginLandmark68,

    /// <summary>
    /// Faceplugin's passive liveness net (MiniFASNetV2-SE, Silent-Face-Anti-Spoofing): class logits of a 128×128 crop of the
    /// face box × 2.7, fed raw B,G,R 0..255.
    /// </summary>
    MiniFasNet,
}

/// <summary>One named output of a model: its shape (<c>batch</c> where the batch is free) and what the numbers mean.</summary>
public sealed record ModelOutputDescription(string Name, string Shape, string Meaning);

/// <summary>
/// A converted model's contract. Every model takes one float32 NHWC input called <c>image</c> with RGB values in 0..255
/// (the scaling each network expects is inside the ONNX graph); outputs are in TensorFlow's layout.
/// </summary>
public sealed record FaceModelDescription(
    FaceModel Model,
    string FileName,
    string InputShape,
    string InputMeaning,
    IReadOnlyList<ModelOutputDescription> Outputs,
    string Summary)
{
    public const string InputName = "image";

    public override string ToString() =>
        $"{Model} ({FileName}): {Summary}\n  in  {InputName} {InputShape}: {InputMeaning}\n" +
        string.Join('\n', Outputs.Select(o => $"  out {o.Name} {o.Shape}: {o.Meaning}"));
}
