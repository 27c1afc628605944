using Microsoft.AspNetCore.Components.Forms;

namespace FaceLogin.Tests.Web.Components;

/// <summary>Hands out a known token, so a test can see that a form carries the antiforgery field (bUnit's default hands out none).</summary>
internal sealed class FixedAntiforgeryStateProvider : AntiforgeryStateProvider
{
    public const string FieldName = "__RequestVerificationToken";
    public const string Token = "test-antiforgery-token";

    public override AntiforgeryRequestToken? GetAntiforgeryToken() => new(Token, FieldName);
}
