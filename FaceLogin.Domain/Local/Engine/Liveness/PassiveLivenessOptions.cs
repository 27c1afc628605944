namespace FaceLogin.Domain.Local.Engine.Liveness;

/// <summary>The passive liveness net (<see cref="Models.FaceModel.MiniFasNet"/>) and how its input is cut from a detection.</summary>
public sealed record PassiveLivenessOptions(string ModelPath)
{
    /// <summary>
    /// Side of the crop in face-box sides: MiniFASNetV2-SE was trained on 2.7× crops (Silent-Face-Anti-Spoofing's
    /// <c>CropImage</c>), so it judges the face's surroundings too (a print's edge, a screen's bezel).
    /// </summary>
    public float CropScale { get; init; } = 2.7f;
}
