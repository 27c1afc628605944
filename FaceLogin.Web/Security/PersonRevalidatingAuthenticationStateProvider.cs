using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;

namespace FaceLogin.Web.Security;

/// <summary>
/// An interactive session keeps the user it started with for as long as the circuit lives; this re-checks them every
/// <see cref="FaceLoginWebOptions.RevalidationSeconds"/> so a person who is deleted, signs out (in any tab or browser), or
/// loses admin rights, is signed out of open pages too (not only of the next HTTP request).
/// </summary>
public sealed class PersonRevalidatingAuthenticationStateProvider(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopeFactory,
    IOptions<FaceLoginWebOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(options.Value.RevalidationSeconds);

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        IsStillValidAsync(authenticationState.User, cancellationToken);

    /// <summary>
    /// False when the person is gone, signed out since, or lost the admin role; a promotion takes effect at the next page load instead.
    /// </summary>
    internal async Task<bool> IsStillValidAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var check = scope.ServiceProvider.GetRequiredService<PersonSessionCheck>();
        var refreshed = await check.RefreshAsync(user, cancellationToken);
        return refreshed is not null && (refreshed.IsAdmin() || !user.IsAdmin());
    }
}
