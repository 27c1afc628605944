namespace FaceLogin.Domain.Faces.Liveness;

/// <summary>
/// What a person is told when liveness refuses, the same at every door. Two messages only: an honest person who did not
/// follow the arrows learns to follow them; every other refusal (flat picture, screen, repeated frames, another face) gets
/// one sentence that helps an honest person and tells an attacker nothing about which check caught them.
/// </summary>
public static class LivenessFeedback
{
    public const string FollowTheArrows =
        "Please follow the arrows: look at the camera, and when an arrow appears, turn your head that way, then back.";

    public const string LiveFaceNeeded =
        "We need to see your live face. If you are holding up a photo or a phone, put it away, then look at the camera yourself and follow the arrows.";

    public const string BurstNotReceived = "The camera pictures did not arrive as expected. Please try again.";

    public static string For(LivenessRefusal refusal) => refusal switch
    {
        LivenessRefusal.BurstMissing or LivenessRefusal.MovementNotFollowed => FollowTheArrows,
        LivenessRefusal.Malformed => BurstNotReceived,
        LivenessRefusal.NoFace => FaceFeedback.NoFace,
        LivenessRefusal.SeveralPeople => FaceFeedback.MultipleFaces,
        _ => LiveFaceNeeded,
    };
}
