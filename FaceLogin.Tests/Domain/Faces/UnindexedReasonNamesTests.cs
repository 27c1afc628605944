using FaceLogin.Domain.Faces;

namespace FaceLogin.Tests.Domain.Faces;

/// <summary>The reasons travel as Rekognition spells them (its UnindexedFaces reasons), in both modes.</summary>
public sealed class UnindexedReasonNamesTests
{
    [Theory]
    [InlineData(UnindexedReason.ExceedsMaxFaces, "EXCEEDS_MAX_FACES")]
    [InlineData(UnindexedReason.ExtremePose, "EXTREME_POSE")]
    [InlineData(UnindexedReason.LowBrightness, "LOW_BRIGHTNESS")]
    [InlineData(UnindexedReason.LowSharpness, "LOW_SHARPNESS")]
    [InlineData(UnindexedReason.LowConfidence, "LOW_CONFIDENCE")]
    [InlineData(UnindexedReason.SmallBoundingBox, "SMALL_BOUNDING_BOX")]
    [InlineData(UnindexedReason.LowFaceQuality, "LOW_FACE_QUALITY")]
    public void Each_reason_has_rekognitions_name_both_ways(UnindexedReason reason, string name)
    {
        Assert.Equal(name, reason.ToRekognitionName());
        Assert.True(UnindexedReasonNames.TryParseRekognitionName(name, out var parsed));
        Assert.Equal(reason, parsed);
    }

    [Fact]
    public void A_name_rekognition_may_add_later_is_not_mistaken_for_a_known_one()
    {
        Assert.False(UnindexedReasonNames.TryParseRekognitionName("SOME_FUTURE_REASON", out _));
        Assert.False(UnindexedReasonNames.TryParseRekognitionName("low_sharpness", out _));
    }
}
