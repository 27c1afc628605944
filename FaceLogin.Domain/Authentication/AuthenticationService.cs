namespace FaceLogin.Domain.Authentication;

/// <summary>Face login: searches the collection with the face in the image, looks the person up and records the attempt.</summary>
public sealed class AuthenticationService
{
    public Task<AuthenticationResult> AuthenticateAsync(AuthenticationRequest request, CancellationToken cancellationToken) =>
        throw new NotImplementedException("Owned by the domain-services work.");
}
