using System.Net;
using Microsoft.Extensions.Options;

namespace FaceLogin.Web.Security;

/// <summary>Stops start-up at an entry that is not an address (or network), naming it: a typo must not silently trust nobody, or somebody else.</summary>
public sealed class TrustedProxyOptionsValidator : IValidateOptions<TrustedProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, TrustedProxyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
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
