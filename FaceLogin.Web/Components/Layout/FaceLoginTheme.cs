using MudBlazor;

namespace FaceLogin.Web.Components.Layout;

/// <summary>A calm, sober look: deep blue on white, system fonts (nothing loaded from elsewhere), gentle corners.</summary>
public static class FaceLoginTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f4e8c",
            Secondary = "#0f766e",
            Tertiary = "#5b6b82",
            AppbarBackground = "#ffffff",
            AppbarText = "#14263d",
            Background = "#f5f7fa",
            Surface = "#ffffff",
            TextPrimary = "#14263d",
            TextSecondary = "#52627a",
            LinesDefault = "#dfe5ec",
            Divider = "#e3e8ee",
            TableLines = "#e6ebf1",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
            },
            H4 = new H4Typography { FontSize = "2rem", FontWeight = "600", LetterSpacing = "-0.01em" },
            H5 = new H5Typography { FontWeight = "600" },
            H6 = new H6Typography { FontWeight = "600" },
            Button = new ButtonTypography { TextTransform = "none", FontWeight = "600" },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px" },
    };
}
