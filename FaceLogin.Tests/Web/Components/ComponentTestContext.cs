using Bunit;
using FaceLogin.Domain.Administration;
using FaceLogin.Domain.Authentication;
using FaceLogin.Domain.DependencyInjection;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Registration;
using FaceLogin.Web.Components.Camera;
using FaceLogin.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor.Services;
using NSubstitute;

namespace FaceLogin.Tests.Web.Components;

/// <summary>
/// A bUnit context set up like MudBlazor's own tests (Loose JS interop, no transitions, no popover-provider check),
/// with the real domain services over substituted ports — so a page test decides what the engine and the directory answer,
/// and the service between them is the one the app runs — and a substituted camera.
/// </summary>
public abstract class ComponentTestContext : BunitContext
{
    /// <summary>
    /// The doors ask for no liveness here unless a test says so (<paramref name="settings"/>): the page tests are about the
    /// page, with a substituted engine that has no liveness judge; SignUpBurstTests drive the burst flow.
    /// </summary>
    protected ComponentTestContext(IReadOnlyDictionary<string, string?>? settings = null)
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices(options =>
        {
            options.SnackbarConfiguration.ShowTransitionDuration = 0;
            options.SnackbarConfiguration.HideTransitionDuration = 0;
            options.PopoverOptions.CheckForPopoverProvider = false;
        });

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["FaceLogin:Liveness:SignIn"] = "Off", ["FaceLogin:Liveness:SignUp"] = "Off" })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        Services.AddLogging();
        Services.AddOptions<FaceLoginOptions>();
        Services.AddOptions<FaceLoginWebOptions>();
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton(Faces);
        Services.AddSingleton(Images);
        Services.AddSingleton(Directory);
        Services.AddFaceLoginServices(configuration);
        Services.TryAddSingleton<RegistrationService>();
        Services.TryAddSingleton<AuthenticationService>();
        Services.TryAddSingleton<AdministrationService>();
        Services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        Services.AddSingleton<SignInTickets>();
        Services.AddSingleton<SignUpThrottle>();
        Services.AddSingleton<FaceWorkMeter>();
        Services.AddSingleton(Camera);
        Services.AddSingleton<AntiforgeryStateProvider, FixedAntiforgeryStateProvider>();

        // No address is delayed unless a test says so (a substitute's default decision would refuse).
        Directory.TryStartLoginAttemptAsync(
                Arg.Any<Guid>(), Arg.Any<string>(), Arg.Any<DateTimeOffset>(), Arg.Any<AddressThrottle>(), Arg.Any<CancellationToken>())
            .Returns(ThrottleDecision.Admitted);
    }

    /// <summary>
    /// Renders as the app does once the circuit is up (interactive), unless the test chose a renderer, e.g. the static one of
    /// prerendering. Set here rather than in the constructor: touching the renderer freezes the services, and tests add theirs later.
    /// </summary>
    public override IRenderedComponent<TComponent> Render<TComponent>(Action<ComponentParameterCollectionBuilder<TComponent>>? parameterBuilder = null)
    {
        if (!_rendererChosen)
        {
            UseRenderer(new RendererInfo("Server", isInteractive: true));
        }

        return base.Render(parameterBuilder);
    }

    protected void UseRenderer(RendererInfo rendererInfo)
    {
        Renderer.SetRendererInfo(rendererInfo);
        _rendererChosen = true;
    }

    private bool _rendererChosen;

    protected IFaceCollection Faces { get; } = Substitute.For<IFaceCollection>();

    protected IFaceImageStore Images { get; } = Substitute.For<IFaceImageStore>();

    protected IFaceDirectory Directory { get; } = Substitute.For<IFaceDirectory>();

    protected ICameraCapture Camera { get; } = Substitute.For<ICameraCapture>();
}
