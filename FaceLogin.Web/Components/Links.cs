namespace FaceLogin.Web.Components;

/// <summary>Attributes for links, shared by every page that needs them.</summary>
public static class Links
{
    /// <summary>
    /// A link to a static page (sign-in), from an interactive one: it must be a full page load, since enhanced navigation
    /// would try to render the static page inside the circuit (BLAZOR-NOTES §3).
    /// </summary>
    /// <remarks>A Dictionary because that is what MudBlazor's UserAttributes takes; nobody writes to it.</remarks>
    public static Dictionary<string, object> FullPageLoad { get; } = new() { ["data-enhance-nav"] = "false" };
}
