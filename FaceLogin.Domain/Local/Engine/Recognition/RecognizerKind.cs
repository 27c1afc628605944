namespace FaceLogin.Domain.Local.Engine.Recognition;

/// <summary>Which recogniser turns faces into vectors (<c>FaceLogin:Engine:Recognizer</c>); docs/accuracy.md compares them.</summary>
public enum RecognizerKind
{
    /// <summary>Faceplugin's MobileFaceNet (512-d) on the ArcFace 5-point chip.</summary>
    MobileFaceNet,

    /// <summary>dlib's ResNet (128-d, face-api's weights) on dlib's 68-point chip: the first engine's recogniser.</summary>
    DlibResNet,

    /// <summary>Both, fused by a weighted mean of their cosines (<c>FaceLogin:Engine:FusionWeight</c>).</summary>
    Fusion,
}

/// <summary>Which 68-point net places the landmarks that every chip is cut from (<c>FaceLogin:Engine:Landmarks</c>).</summary>
public enum LandmarkModel
{
    /// <summary>face-api's FaceLandmark68Net on a 112 px crop along the eye line, mirror-averaged, two passes.</summary>
    FaceApi,

    /// <summary>Faceplugin's net on a 64 px grey crop.</summary>
    Faceplugin,
}
