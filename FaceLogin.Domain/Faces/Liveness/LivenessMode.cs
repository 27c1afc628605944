namespace FaceLogin.Domain.Faces.Liveness;

/// <summary>What a door asks for to be convinced a live person is in front of the camera (docs/liveness.md, "Policy").</summary>
public enum LivenessMode
{
    /// <summary>No presentation-attack detection: a single photo is enough (the operator's doors: import, the S3 function).</summary>
    Off,

    /// <summary>A single photo whose passive score says "live".</summary>
    Passive,

    /// <summary>A burst answering a head-movement challenge: movement, one person, a 3-D head, distinct captures.</summary>
    Active,

    /// <summary><see cref="Active"/>, and the passive score of the frontal frames does not say "attack".</summary>
    Both,
}
