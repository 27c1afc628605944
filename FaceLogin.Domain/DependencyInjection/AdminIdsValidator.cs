using Microsoft.Extensions.Options;

namespace FaceLogin.Domain.DependencyInjection;

/// <summary>
/// Fails start-up when an entry of <c>FaceLogin:Admins</c> is not a person id. The entry is named by its position, not echoed:
/// a mistaken entry is likely somebody's name, which has no place in a log.
/// </summary>
internal sealed class AdminIdsValidator : IValidateOptions<FaceLoginOptions>
{
    public ValidateOptionsResult Validate(string? name, FaceLoginOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = options.Admins
            .Select((entry, index) => (Entry: entry, Index: index))
            .Where(e => !Guid.TryParse(e.Entry, out var id) || id == Guid.Empty)
            .Select(e => $"{FaceLoginOptions.SectionName}:{nameof(FaceLoginOptions.Admins)}:{e.Index} is not a person id: " +
                         "FaceLogin:Admins lists person ids (GUIDs such as 3f2c8a4e-5b1d-4c6e-9a7f-0b1c2d3e4f50), never names.")
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
