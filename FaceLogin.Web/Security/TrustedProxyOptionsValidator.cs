using System.Net;
using Microsoft.Extensions.Options;

namespace FaceLogin.Web.Security;

/// <summary>
/// Stops start-up at an entry that is not an address (or network), naming it: a typo must not silently trust nobody, or somebody
/// else. Stops it too when ASP.NET's own forwarded-headers switch is on: see <see cref="ForwardedHeadersEnabledKey"/>.
/// </summary>
public sealed class TrustedProxyOptionsValidator(IConfiguration configuration) : IValidateOptions<TrustedProxyOptions>
{
    /// <summary>
    /// The configuration key behind <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED</c>. When it is true, the web host adds its own
    /// forwarded-headers step ahead of the whole pipeline that clears the known proxies and believes <c>X-Forwarded-For</c> from
    /// every client: a script could send a new address with each request and get a fresh lock-out budget and throttle each time.
    /// A host or container image can set it without the operator knowing, so the app refuses to start rather than run that way.
    /// </summary>
    public const string ForwardedHeadersEnabledKey = "FORWARDEDHEADERS_ENABLED";

    public ValidateOptionsResult Validate(string? name, TrustedProxyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (bool.TryParse(configuration[ForwardedHeadersEnabledKey], out var enabled) && enabled)
        {
            errors.Add($"ASPNETCORE_{ForwardedHeadersEnabledKey} ({ForwardedHeadersEnabledKey}) is true: it makes the app believe X-Forwarded-For from "
                + $"every client, so anybody could choose the address that throttling and lock-out count. Unset it and list the proxies in "
                + $"{TrustedProxyOptions.SectionName}:{nameof(options.KnownProxies)}/{nameof(options.KnownNetworks)} instead.");
        }

        for (var i = 0; i < options.KnownProxies.Length; i++)
        {
            if (!IPAddress.TryParse(options.KnownProxies[i], out _))
            {
                errors.Add($"{TrustedProxyOptions.SectionName}:{nameof(options.KnownProxies)}:{i} is not an IP address: '{options.KnownProxies[i]}'.");
            }
        }

        for (var i = 0; i < options.KnownNetworks.Length; i++)
        {
            if (!IPNetwork.TryParse(options.KnownNetworks[i], out _))
            {
                errors.Add($"{TrustedProxyOptions.SectionName}:{nameof(options.KnownNetworks)}:{i} is not a network in CIDR notation (like 10.0.0.0/24): '{options.KnownNetworks[i]}'.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
