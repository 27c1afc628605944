namespace FaceLogin.Domain.Faces;

/// <summary>
/// Whether the faces detected in one picture let a door work with it, the same at every door (sign-in, sign-up, import and
/// the S3-upload function): no face; several people (<see cref="DominantFaceRule"/>); one person whose face falls short of
/// the door's <see cref="FaceQualityThresholds"/> (too dark, too small, blurred, turned away, sideways or upside down, ...);
/// or a usable face. Nothing is searched before it says "usable": a refusal asks no face question, so it tells the person
/// why and costs them no lock-out slot.
/// </summary>
/// <remarks>
/// The doors differ only in their thresholds, by configuration: sign-in's (<c>FaceLogin:Authentication:Quality</c>) and
/// registration's (<c>FaceLogin:Registration:Quality</c>), which the registration door applies at least as strictly as
/// sign-in's (<see cref="FaceQualityThresholds.AtLeastAsStrictAs"/>), so that a registered face is always one sign-in
/// would examine, and search (docs/domain.md, "One admission policy").
/// </remarks>
public sealed class FaceAdmissionPolicy(FaceQualityThresholds quality, DominantFaceRule faceRule)
{
    public FaceQualityThresholds Quality { get; } = quality ?? throw new ArgumentNullException(nameof(quality));

    public DominantFaceRule FaceRule { get; } = faceRule ?? throw new ArgumentNullException(nameof(faceRule));

    /// <summary>Judges the faces one detection found in a picture, in any order.</summary>
    public FaceAdmission Admit(IReadOnlyList<FaceDetail> faces)
    {
        ArgumentNullException.ThrowIfNull(faces);
        var verdict = FaceRule.Judge(faces);
        switch (verdict.Kind)
        {
            case FaceVerdictKind.NoFace:
                return FaceAdmission.NoFace;
            case FaceVerdictKind.SeveralPeople:
                return new FaceAdmission(FaceAdmissionKind.SeveralPeople, verdict.Person, [UnindexedReason.ExceedsMaxFaces]);
        }

        var reasons = Quality.Assess(faces[verdict.Person]);
        return new FaceAdmission(reasons.Count > 0 ? FaceAdmissionKind.PoorQuality : FaceAdmissionKind.Usable, verdict.Person, reasons);
    }
}

public enum FaceAdmissionKind
{
    NoFace,

    /// <summary>A second face about as large as the person's: two people in view.</summary>
    SeveralPeople,

    /// <summary>One person, whose face falls short of the door's thresholds; <see cref="FaceAdmission.Reasons"/> says how.</summary>
    PoorQuality,

    /// <summary>One person with a face good enough to search and, at registration, to index.</summary>
    Usable,
}

/// <param name="Person">Index of the person's face in the faces judged (the largest); −1 without a face.</param>
/// <param name="Reasons">Why the face was refused, most actionable first; empty when usable.</param>
public sealed record FaceAdmission(FaceAdmissionKind Kind, int Person, IReadOnlyList<UnindexedReason> Reasons)
{
    public static FaceAdmission NoFace { get; } = new(FaceAdmissionKind.NoFace, -1, []);

    public bool IsUsable => Kind == FaceAdmissionKind.Usable;

    /// <summary>What to tell the person, in the same words at every door.</summary>
    public string Message => Kind switch
    {
        FaceAdmissionKind.NoFace => FaceFeedback.NoFace,
        FaceAdmissionKind.SeveralPeople => FaceFeedback.MultipleFaces,
        _ => FaceFeedback.ForQuality(Reasons),
    };
}
