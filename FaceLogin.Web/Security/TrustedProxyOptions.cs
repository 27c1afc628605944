using System.ComponentModel.DataAnnotations;

namespace FaceLogin.Web.Security;

/// <summary>
/// The <c>FaceLogin:ForwardedHeaders</c> section: the reverse proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>
/// are believed. Empty (the default) means the app is reached directly and those headers are ignored from everybody — a client
/// must not be able to pick its own address for throttling and lock-out, or claim HTTPS. Set it when a proxy terminates TLS or
/// stands in front of the app, or all clients share the proxy's address (one throttle, one lock-out) and cookies look unencrypted.
/// </summary>
public sealed class TrustedProxyOptions
{
    public const string SectionName = "FaceLogin:ForwardedHeaders";

    /// <summary>Addresses of trusted proxies, e.g. <c>10.0.0.5</c>.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation, e.g. <c>10.0.0.0/24</c>.</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>How many proxies in a row to look through (one per <c>X-Forwarded-For</c> entry, from the right).</summary>
    [Range(1, 10)]
    public int ForwardLimit { get; set; } = 1;

    public bool IsConfigured => KnownProxies.Length > 0 || KnownNetworks.Length > 0;
}
