using System.Text.Json;
using Bunit;
using FaceLogin.Web.Components.Camera;
using FaceLogin.Web.Components.Pages;
using FaceLogin.Web.Messages;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.Extensions.DependencyInjection;
using System.Reflection;

namespace FaceLogin.Tests.Web.Components;

/// <summary>
/// The sign-in page is static server rendering: plain HTML only, a form with the antiforgery token for the script to post,
/// and the camera messages handed to the script. (What the script does is proven in the browser tests.)
/// </summary>
public sealed class LoginPageTests : ComponentTestContext
{
    [Fact]
    public void Is_excluded_from_interactive_routing_so_it_renders_over_plain_http()
    {
        Assert.NotNull(typeof(Login).GetCustomAttribute<ExcludeFromInteractiveRoutingAttribute>());
    }

    [Fact]
    public void Uses_plain_html_inputs_only()
    {
        var cut = Render<Login>();

        Assert.Empty(cut.FindAll(".mud-input, .mud-input-control, .mud-checkbox"));
        Assert.Equal("button", cut.Find("button.sign-in-button").GetAttribute("type"));
        Assert.True(cut.Find("button.sign-in-button").HasAttribute("disabled"));
    }

    [Fact]
    public void Carries_the_antiforgery_token_and_the_return_url_for_the_sign_in_post()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("login?returnUrl=%2Fadmin");

        var cut = Render<Login>();

        var element = cut.Find("face-sign-in");
        Assert.Equal("auth/login", element.GetAttribute("data-endpoint"));
        var form = element.QuerySelector("form")!;
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.Equal("multipart/form-data", form.GetAttribute("enctype"));
        Assert.Equal(FixedAntiforgeryStateProvider.Token, form.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value"));
        Assert.Equal("/admin", form.QuerySelector("input[name=returnUrl]")?.GetAttribute("value"));
    }

    [Fact]
    public void Hands_every_camera_message_to_the_script()
    {
        var cut = Render<Login>();

        var json = cut.Find("face-sign-in").GetAttribute("data-camera-messages")!;
        var messages = JsonSerializer.Deserialize<Dictionary<string, string>>(json)!;
        Assert.Equal(CameraMessages.For(CameraStatus.Denied), messages["Denied"]);
        Assert.Equal(CameraMessages.For(CameraStatus.NoCamera), messages["NoCamera"]);
        Assert.Equal(CameraMessages.ForScript().Count, messages.Count);
    }

    [Fact]
    public void Explains_an_expired_sign_up_ticket()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("login?ticket=expired");

        var cut = Render<Login>();

        Assert.Contains(SignInMessages.TicketExpired, cut.Markup, StringComparison.Ordinal);
    }
}
