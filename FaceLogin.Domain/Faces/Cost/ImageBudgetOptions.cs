using System.ComponentModel.DataAnnotations;

namespace FaceLogin.Domain.Faces.Cost;

/// <summary>Where an image comes in. Each door has its own <see cref="ImageBudget"/>.</summary>
public enum ImageDoor
{
    /// <summary>POST /auth/login: a camera frame from the sign-in page.</summary>
    SignIn,
    /// <summary>The sign-up page: a camera frame through the Blazor circuit.</summary>
    SignUp,
    /// <summary>The <c>import</c> command: an operator's photo files.</summary>
    Import,
    /// <summary>The S3-upload function: an object an operator put in the bucket.</summary>
    Upload,
}

/// <summary>The <c>FaceLogin:ImageBudgets</c> section: one <see cref="ImageBudget"/> per door (docs/architecture.md, "Cost of a request").</summary>
public sealed class ImageBudgetOptions
{
    public const string SectionName = "FaceLogin:ImageBudgets";

    /// <summary>
    /// The camera doors. The page's camera sends 640×480 JPEGs of 30–150 KB; 4 MP admits a 2560×1600 (or 1080p) camera
    /// with room, and bounds one decode to 16 MB of pixels and 24 MB of progressive coefficients (4:4:4) — a tenth of what
    /// a 40 MP photo costs.
    /// </summary>
    public ImageBudget SignIn { get; set; } = Camera();

    public ImageBudget SignUp { get; set; } = Camera();

    /// <summary>
    /// The operator doors: phone and camera photos (12–48 MP) as Rekognition takes them (5 MB). A progressive one may hold
    /// 96 MB of coefficients: a 16 MP progressive 4:4:4 file, or a 32 MP 4:2:0 one.
    /// </summary>
    public ImageBudget Import { get; set; } = Operator();

    public ImageBudget Upload { get; set; } = Operator();

    public ImageBudget For(ImageDoor door) => door switch
    {
        ImageDoor.SignIn => SignIn,
        ImageDoor.SignUp => SignUp,
        ImageDoor.Import => Import,
        ImageDoor.Upload => Upload,
        _ => throw new ArgumentOutOfRangeException(nameof(door), door, null),
    };

    /// <summary>Every budget's limits within their ranges (the attributes on <see cref="ImageBudget"/>).</summary>
    public bool IsValid() => new[] { SignIn, SignUp, Import, Upload }.All(budget =>
        budget is not null && Validator.TryValidateObject(budget, new ValidationContext(budget), null, validateAllProperties: true));

    private static ImageBudget Camera() => new()
    {
        MaxBytes = 2L * 1024 * 1024,
        MaxPixels = 4_000_000,
        MaxProgressiveCoefficientBytes = 24L * 1024 * 1024,
    };

    private static ImageBudget Operator() => new()
    {
        MaxBytes = 5L * 1024 * 1024,
        MaxPixels = 40_000_000,
        MaxProgressiveCoefficientBytes = 96L * 1024 * 1024,
    };
}
