namespace FaceLogin.Domain.Faces;

/// <summary>
/// Why a face was not indexed; the names and meanings follow Rekognition's UnindexedFaces reasons, except
/// <see cref="RotatedFace"/>, which is FaceLogin's own (the admission policy's, never an engine's).
/// </summary>
public enum UnindexedReason
{
    ExceedsMaxFaces,
    ExtremePose,
    LowBrightness,
    LowSharpness,
    LowConfidence,
    SmallBoundingBox,
    LowFaceQuality,

    /// <summary>The face is turned sideways or upside down in the picture (|roll| above the door's limit): the photo is not upright.</summary>
    RotatedFace,
}

public static class UnindexedReasonNames
{
    /// <summary>The reason as Rekognition spells it on the wire (EXCEEDS_MAX_FACES, ...).</summary>
    public static string ToRekognitionName(this UnindexedReason reason) => reason switch
    {
        UnindexedReason.ExceedsMaxFaces => "EXCEEDS_MAX_FACES",
        UnindexedReason.ExtremePose => "EXTREME_POSE",
        UnindexedReason.LowBrightness => "LOW_BRIGHTNESS",
        UnindexedReason.LowSharpness => "LOW_SHARPNESS",
        UnindexedReason.LowConfidence => "LOW_CONFIDENCE",
        UnindexedReason.SmallBoundingBox => "SMALL_BOUNDING_BOX",
        UnindexedReason.LowFaceQuality => "LOW_FACE_QUALITY",
        UnindexedReason.RotatedFace => "ROTATED_FACE",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    public static bool TryParseRekognitionName(string name, out UnindexedReason reason)
    {
        foreach (var candidate in Enum.GetValues<UnindexedReason>())
        {
            if (string.Equals(candidate.ToRekognitionName(), name, StringComparison.Ordinal))
            {
                reason = candidate;
                return true;
            }
        }

        reason = default;
        return false;
    }
}
