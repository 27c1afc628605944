using FaceLogin.Domain.Ports;

namespace FaceLogin.Domain.Registration;

/// <summary>
/// Signs a person up: validates name and consent, checks the image holds exactly one usable face that is not
/// registered yet, stores the image, indexes the face and writes the directory record — undoing earlier steps when a later one fails.
/// </summary>
public sealed class RegistrationService
{
    /// <summary>A new person from the sign-up page.</summary>
    public Task<RegistrationResult> RegisterAsync(RegistrationRequest request, CancellationToken cancellationToken) =>
        throw new NotImplementedException("Owned by the domain-services work.");

    /// <summary>
    /// An image already in the image store (bulk import, the S3-upload function): the person id comes from the key,
    /// the name from the object's metadata. Idempotent: an image already indexed is reported as such and changes nothing.
    /// When the person exists the face is added to them.
    /// </summary>
    public Task<RegistrationResult> RegisterStoredImageAsync(FaceImageKey key, CancellationToken cancellationToken) =>
        throw new NotImplementedException("Owned by the domain-services work.");
}
