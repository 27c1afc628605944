using System.ComponentModel.DataAnnotations;
using FaceLogin.Domain.Authentication;
using FaceLogin.Domain.Faces;

namespace FaceLogin.Domain.Registration;

/// <summary>The <c>FaceLogin:Registration</c> section.</summary>
public sealed class RegistrationOptions
{
    public const string SectionName = "FaceLogin:Registration";

    /// <summary>
    /// Similarity (0..100) at which a new face counts as somebody already registered. Keep it at or below the sign-in
    /// threshold: then no face can be registered that would sign in as another person.
    /// </summary>
    [Range(1, 100)]
    public float DuplicateThreshold { get; set; } = FaceMatchThreshold.Default;

    /// <summary>
    /// Stricter than sign-in on size and yaw: the registered photo is what every later sign-in is compared with.
    /// Pitch, brightness, sharpness and confidence are left to the engine's own quality filter when the face is indexed
    /// (its scales are its own: its pitch estimate reads frontal press photos at up to about −37°).
    /// </summary>
    public FaceQualityThresholds Quality { get; set; } = new()
    {
        MinFaceSizePx = 64,
        MaxYawDegrees = 45,
    };
}
