using FaceLogin.Domain.Authentication;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Faces.Cost;
using FaceLogin.Domain.Faces.Liveness;
using FaceLogin.Domain.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaceLogin.Domain.Registration;

/// <summary>
/// Registration's entry point for the web app, the import command and the S3-upload function. Two jobs with their own
/// policies, each in its own class: sign-up from the page (<see cref="RegisterAsync"/>, <see cref="SignUpService"/>) and
/// images already in the store (<see cref="RegisterStoredImageAsync(FaceImageKey, ImageDoor, CancellationToken)"/>, <see cref="StoredImageRegistration"/>). They share
/// one <see cref="FaceEnrolment"/>: the face checks, indexing and its undo, and the write gate that serialises every
/// registration's writes in this process (so register this class once, as a singleton).
/// </summary>
public sealed class RegistrationService
{
    public const string RegisteredMessage = "You're registered. From now on, sign in by looking at the camera.";
    public const string ConsentMissingMessage =
        "Please agree to how your photo and face template are stored and used; without that we can't register you.";
    public const string AlreadyRegisteredMessage = "This face is already registered. Sign in instead.";
    public const string FailedMessage = "Something went wrong while saving your registration, and nothing was kept. Please try again.";
    public const string AlreadyImportedMessage = "This image is registered already; nothing was changed.";
    public const string ImageNotFoundMessage = "The image is not in the image store.";
    public const string PersonNotImportableMessage =
        "This person signed up themselves; imports and uploads can only add photos to people who were imported.";
    public const string MetadataMismatchMessage = "The image's metadata names another person than its key.";

    /// <summary>
    /// Imported people did not tick the sign-up box: the operator who imports asserts they consented (the import command and
    /// docs say so), and the record says where the consent came from and when: <c>import:yyyy-MM-dd</c>.
    /// </summary>
    public const string ImportConsentPrefix = "import:";

    private readonly SignUpService _signUp;
    private readonly StoredImageRegistration _storedImages;
    private readonly ImageBudgetOptions _imageBudgets;
    private readonly ILogger<RegistrationService> _logger;

    public RegistrationService(
        IFaceCollection faces,
        IFaceImageStore images,
        IFaceDirectory directory,
        IOptions<RegistrationOptions> options,
        TimeProvider time,
        ILogger<RegistrationService> logger,
        IOptions<AuthenticationOptions>? lockOut = null,
        DominantFaceRule? faceRule = null,
        IOptions<ImageBudgetOptions>? imageBudgets = null,
        IOptions<LivenessOptions>? liveness = null,
        LivenessJudge? livenessJudge = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        _imageBudgets = imageBudgets?.Value ?? new ImageBudgetOptions();
        var signIn = lockOut?.Value ?? new AuthenticationOptions();
        // The one admission policy with registration's thresholds, each at least as strict as sign-in's: every face registered
        // here is one sign-in examines too (and so one whose duplicates a later registration finds).
        var admission = new FaceAdmissionPolicy(options.Value.Quality.AtLeastAsStrictAs(signIn.Quality), faceRule ?? DominantFaceRule.Default);
        var enrolment = new FaceEnrolment(faces, directory, options.Value, admission, time, logger);
        // Sign-up from the page shares sign-in's throttle settings: one budget of face questions for both doors.
        // Without liveness options (a service built by hand in a test) the sign-up door asks for none; the app binds them.
        _signUp = new SignUpService(
            enrolment, images, directory, signIn, _imageBudgets.SignUp, time, logger, new LivenessGate(livenessJudge), liveness?.Value.SignUp ?? LivenessMode.Off);
        _storedImages = new StoredImageRegistration(enrolment, images, directory, time, logger);
    }

    /// <summary>
    /// A new person from the sign-up page. With a <see cref="RegistrationRequest.ClientAddress"/>, the attempt goes through
    /// sign-in's lock-out and is recorded in the attempt log (see <see cref="SignUpService"/>).
    /// </summary>
    public Task<RegistrationResult> RegisterAsync(RegistrationRequest request, CancellationToken cancellationToken) =>
        AnswerStorageFullAsync(() => _signUp.RegisterAsync(request, cancellationToken));

    /// <summary>
    /// An image already in the image store (bulk import, the S3-upload function): the person id comes from the key, the name
    /// from the object's metadata. Creates the person, or adds the face to an imported person; idempotent per image.
    /// </summary>
    public Task<RegistrationResult> RegisterStoredImageAsync(FaceImageKey key, CancellationToken cancellationToken) =>
        RegisterStoredImageAsync(key, ImageDoor.Import, cancellationToken);

    /// <summary>As <see cref="RegisterStoredImageAsync(FaceImageKey, CancellationToken)"/>, under the image budget of the door it came through.</summary>
    public Task<RegistrationResult> RegisterStoredImageAsync(FaceImageKey key, ImageDoor door, CancellationToken cancellationToken) =>
        AnswerStorageFullAsync(() => _storedImages.RegisterAsync(key, _imageBudgets.For(door), cancellationToken));

    /// <summary>
    /// A full storage, wherever it struck (the attempt log before any face work, a write after it, already undone), answered
    /// the same at every door: <see cref="RegistrationStatus.StorageFull"/> with a message, one warning line without the stack.
    /// </summary>
    private async Task<RegistrationResult> AnswerStorageFullAsync(Func<Task<RegistrationResult>> registration)
    {
        try
        {
            return await registration().ConfigureAwait(false);
        }
        catch (Exception ex) when (StorageFull.IsCause(ex))
        {
            _logger.LogWarning("A registration was refused because the storage is full; nothing of it was kept: {Problem}", ex.Message);
            return new RegistrationResult(RegistrationStatus.StorageFull, StorageFull.Message);
        }
    }
}
