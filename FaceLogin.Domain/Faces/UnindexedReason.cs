namespace FaceLogin.Domain.Faces;

/// <summary>Why a face was not indexed; the names and meanings follow Rekognition's UnindexedFaces reasons.</summary>
public enum UnindexedReason
{
    ExceedsMaxFaces,
    ExtremePose,
    LowBrightness,
    LowSharpness,
    LowConfidence,
    SmallBoundingBox,
    LowFaceQuality,
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
