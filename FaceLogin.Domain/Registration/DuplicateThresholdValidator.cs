using FaceLogin.Domain.Authentication;
using Microsoft.Extensions.Options;

namespace FaceLogin.Domain.Registration;

/// <summary>
/// Registration's duplicate threshold must not exceed sign-in's match threshold: a face scoring between the two against a
/// registered person would pass the duplicate check and then sign in as that person.
/// </summary>
internal sealed class DuplicateThresholdValidator(IOptions<AuthenticationOptions> authentication) : IValidateOptions<RegistrationOptions>
{
    public ValidateOptionsResult Validate(string? name, RegistrationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var matchThreshold = authentication.Value.MatchThreshold;
        return options.DuplicateThreshold <= matchThreshold
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{RegistrationOptions.SectionName}:{nameof(RegistrationOptions.DuplicateThreshold)} ({options.DuplicateThreshold}) must be at or below " +
                $"{AuthenticationOptions.SectionName}:{nameof(AuthenticationOptions.MatchThreshold)} ({matchThreshold}): otherwise a face could be " +
                "registered that then signs in as somebody else.");
    }
}
