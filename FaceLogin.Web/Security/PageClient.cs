namespace FaceLogin.Web.Security;

/// <summary>
/// The client that loaded the page, for interactive components, which have no <see cref="HttpContext"/>.
/// App.razor reads <see cref="ClientAddress.Of"/> while it renders the page over HTTP and passes it to Routes as a parameter;
/// Routes cascades it. A root component's parameters travel to the browser inside the data-protected component descriptor
/// (encrypted, signed, valid for minutes), so a script cannot put another address into its circuit; it can only reuse a
/// descriptor it received, which names its own address.
/// </summary>
/// <param name="Address">Normalised as <see cref="ClientAddress.Of"/> does.</param>
public sealed record PageClient(string Address);
