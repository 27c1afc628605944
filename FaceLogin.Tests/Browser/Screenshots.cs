using FaceLogin.Tests.Support;
using Microsoft.Playwright;

namespace FaceLogin.Tests.Browser;

/// <summary>
/// Screenshots of the pages the browser tests visit. They always go to the test output; with
/// <c>FACELOGIN_UPDATE_SCREENSHOTS=1</c> also to docs/screenshots/ (the README's picture comes from there).
/// Faces are masked: the dataset's photos must not end up in the repository, not even inside a screenshot.
/// </summary>
internal static class Screenshots
{
    private static readonly string OutputFolder = Path.Combine(AppContext.BaseDirectory, "screenshots");

    private static bool UpdateDocs => Environment.GetEnvironmentVariable("FACELOGIN_UPDATE_SCREENSHOTS") is "1" or "true";

    public static async Task TakeAsync(IPage page, string name)
    {
        var bytes = await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Type = ScreenshotType.Png,
            FullPage = false,
            Animations = ScreenshotAnimations.Disabled,
            Mask = [page.Locator("video, canvas, img.face-photo, img.face-thumb")],
            MaskColor = "#c8d2de",
        });

        Directory.CreateDirectory(OutputFolder);
        await File.WriteAllBytesAsync(Path.Combine(OutputFolder, name + ".png"), bytes);
        if (UpdateDocs)
        {
            var docs = Path.Combine(TestEnvironment.RepoRoot, "docs", "screenshots");
            Directory.CreateDirectory(docs);
            await File.WriteAllBytesAsync(Path.Combine(docs, name + ".png"), bytes);
        }
    }
}
