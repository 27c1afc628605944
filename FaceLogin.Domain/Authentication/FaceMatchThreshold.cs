namespace FaceLogin.Domain.Authentication;

/// <summary>The similarity (Rekognition's 0..100 scale) at or above which two faces count as the same person.</summary>
public static class FaceMatchThreshold
{
    /// <summary>
    /// Rekognition's own default for SearchFacesByImage. PROVISIONAL: it awaits the local engine's calibration
    /// (the evaluate command and docs/accuracy.md fix the similarity scale and the threshold for a target false-accept rate);
    /// when the engine publishes its calibrated default, this constant should point at it.
    /// Sign-up refuses a face as "already registered" at the same threshold sign-in accepts it, so nobody can register a
    /// face that would sign in as somebody else.
    /// </summary>
    public const float Default = 80f;
}
