using FaceLogin.Domain.Faces;

namespace FaceLogin.Domain.Authentication;

/// <summary>The similarity (Rekognition's 0..100 scale) at or above which two faces count as the same person.</summary>
public static class FaceMatchThreshold
{
    /// <summary>
    /// The local engine's default, <see cref="SimilarityScale.DefaultMatchThreshold"/>: its similarity scale is calibrated so
    /// that this score is the one measured on lfw-dev for the target false-accept rate (docs/accuracy.md). It is also
    /// Rekognition's own default, so the same setting means "same person" in both modes.
    /// Sign-up refuses a face as "already registered" at the same threshold sign-in accepts it, so nobody can register a
    /// face that would sign in as somebody else.
    /// </summary>
    public const float Default = SimilarityScale.DefaultMatchThreshold;
}
