using Microsoft.Extensions.Options;

namespace FaceLogin.Domain.Local.Engine.Models;

/// <summary>
/// A host with the local engine but without its models fails at start-up, naming the fix, instead of at the first
/// sign-up. It is an options type of its own, validated on start only: resolving <see cref="ModelCatalogue"/> stays
/// possible without models, so the CLI's <c>models prepare</c> and <c>models path</c> still work on a fresh machine.
/// </summary>
internal sealed class ModelsStartupCheck;

internal sealed class ModelsStartupCheckValidator(ModelCatalogue catalogue) : IValidateOptions<ModelsStartupCheck>
{
    public ValidateOptionsResult Validate(string? name, ModelsStartupCheck options)
    {
        try
        {
            catalogue.EnsureAvailable();
            return ValidateOptionsResult.Success;
        }
        catch (ModelsUnavailableException ex)
        {
            return ValidateOptionsResult.Fail(ex.Message);
        }
    }
}
