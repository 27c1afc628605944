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
    /// Registration's thresholds of the one admission policy (<see cref="FaceAdmissionPolicy"/>): stricter than sign-in on size
    /// and yaw, because the registered photo is what every later sign-in is compared with. Every other check is sign-in's:
    /// registration applies these and <see cref="AuthenticationOptions.Quality"/>, each at the stricter of the two
    /// (<see cref="FaceQualityThresholds.AtLeastAsStrictAs"/>), so any face registration accepts is one sign-in examines too,
    /// and a turned, dark or blurred face cannot be registered where sign-in would refuse it.
    /// </summary>
    public FaceQualityThresholds Quality { get; set; } = new()
    {
        MinFaceSizePx = 64,
        MaxYawDegrees = 45,
    };
}
