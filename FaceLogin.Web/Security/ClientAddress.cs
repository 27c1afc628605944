using FaceLogin.Domain.Authentication;

namespace FaceLogin.Web.Security;

/// <summary>
/// The key under which a client is throttled, locked out and logged: the connection's address — the real client's once
/// <c>UseForwardedHeaders</c> has run for a trusted proxy (<see cref="TrustedProxyOptions"/>) — normalised as the domain's lock-out
/// does it (<see cref="AuthenticationService.NormalizeClientAddress"/>: an IPv6 address as its /64). One definition for the sign-in
/// rate limiter, the sign-in endpoint and the sign-up page (through <see cref="PageClient"/>), so every door counts a client alike.
/// </summary>
public static class ClientAddress
{
    public static string Of(HttpContext context) =>
        AuthenticationService.NormalizeClientAddress(context.Connection.RemoteIpAddress?.ToString());
}
