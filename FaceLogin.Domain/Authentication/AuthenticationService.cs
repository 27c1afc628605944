using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaceLogin.Domain.Authentication;

/// <summary>Face login: searches the collection with the face in the image, looks the person up and records the attempt.</summary>
/// <remarks>
/// Every attempt that reaches a decision is recorded (time, outcome, similarity, client address), whatever the outcome,
/// and it is recorded even when the caller cancels after the decision: otherwise a client could search faces and hang up
/// before its failure counted towards lock-out.
/// </remarks>
public sealed class AuthenticationService(
    IFaceCollection faces,
    IFaceDirectory directory,
    IOptions<AuthenticationOptions> options,
    TimeProvider time,
    ILogger<AuthenticationService> logger)
{
    public const string NotRecognisedMessage =
        "We didn't recognise your face. Try again facing the camera in good light, or sign up if you are new.";

    /// <summary>Recorded for a request that came without a client address (e.g. from a test host).</summary>
    public const string UnknownClientAddress = "unknown";

    /// <summary>Long enough for any IPv6 address with a zone; anything longer is not an address and is cut.</summary>
    private const int MaxClientAddressLength = 64;

    private readonly AuthenticationOptions settings = options.Value;

    public async Task<AuthenticationResult> AuthenticateAsync(AuthenticationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var clientAddress = NormalizeClientAddress(request.ClientAddress);
        var now = time.GetUtcNow();

        var decision = await DecideAsync(request.Image, clientAddress, now, cancellationToken).ConfigureAwait(false);

        var attempt = new LoginAttempt(Guid.NewGuid(), now, decision.Result.Outcome, decision.Result.Person?.Id, decision.Similarity, clientAddress);
        await directory.AddLoginAttemptAsync(attempt, CancellationToken.None).ConfigureAwait(false);
        return decision.Result;
    }

    private async Task<Decision> DecideAsync(ReadOnlyMemory<byte> image, string clientAddress, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var failures = await directory.CountFailedAttemptsAsync(clientAddress, now - settings.LockOutWindow, cancellationToken).ConfigureAwait(false);
        if (failures >= settings.MaxFailedAttempts)
        {
            // Decided before any face is searched: a locked-out client learns nothing more.
            return new Decision(new AuthenticationResult(LoginOutcome.LockedOut, LockedOutMessage()), null);
        }

        try
        {
            return await RecogniseAsync(image, now, cancellationToken).ConfigureAwait(false);
        }
        catch (FaceImageRejectedException ex)
        {
            return new Decision(new AuthenticationResult(LoginOutcome.BadImage, FaceFeedback.ForImageProblem(ex.Problem)), null);
        }
    }

    private async Task<Decision> RecogniseAsync(ReadOnlyMemory<byte> image, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var detected = await faces.DetectFacesAsync(image, cancellationToken).ConfigureAwait(false);
        if (detected.Faces.Count == 0)
        {
            return Refused(LoginOutcome.NoFace, FaceFeedback.NoFace);
        }

        if (detected.Faces.Count > 1)
        {
            return Refused(LoginOutcome.MultipleFaces, FaceFeedback.MultipleFaces);
        }

        var qualityIssues = settings.Quality.Assess(detected.Faces[0]);
        if (qualityIssues.Count > 0)
        {
            return Refused(LoginOutcome.PoorQuality, FaceFeedback.ForQuality(qualityIssues));
        }

        // Threshold 0: the nearest face comes back even when it is too far, so that a refused attempt records how close it came
        // (what an admin needs to spot a mis-set threshold); whether it is close enough is decided here.
        var search = await faces.SearchFacesByImageAsync(image, similarityThreshold: 0, maxFaces: 1, cancellationToken).ConfigureAwait(false);
        if (search.SearchedFace is null)
        {
            return Refused(LoginOutcome.NoFace, FaceFeedback.NoFace);
        }

        if (search.Matches.Count == 0)
        {
            return Refused(LoginOutcome.NotRecognised, NotRecognisedMessage);
        }

        var best = search.Matches[0];
        if (best.Similarity < settings.MatchThreshold)
        {
            return Refused(LoginOutcome.NotRecognised, NotRecognisedMessage, best.Similarity);
        }

        var face = await directory.FindFaceAsync(best.Face.FaceId, cancellationToken).ConfigureAwait(false);
        var person = face is null ? null : await directory.GetPersonAsync(face.PersonId, cancellationToken).ConfigureAwait(false);
        if (person is null)
        {
            logger.LogWarning("Face {FaceId} matched a sign-in but belongs to nobody in the directory; the attempt is refused", best.Face.FaceId);
            return Refused(LoginOutcome.NotRecognised, NotRecognisedMessage, best.Similarity);
        }

        await directory.RecordSignInAsync(person.Id, now, CancellationToken.None).ConfigureAwait(false);
        logger.LogInformation("Person {PersonId} signed in with similarity {Similarity:F1}", person.Id, best.Similarity);
        var signedIn = person with { LastSignInAt = now };
        return new Decision(new AuthenticationResult(LoginOutcome.SignedIn, $"Welcome back, {person.FullName}.", signedIn, best.Similarity), best.Similarity);
    }

    private string LockedOutMessage()
    {
        var minutes = Math.Max(1, (int)Math.Ceiling(settings.LockOutWindow.TotalMinutes));
        return $"Too many failed sign-in attempts from your network. Wait up to {minutes} minutes, then try again.";
    }

    private static Decision Refused(LoginOutcome outcome, string message, float? similarity = null) =>
        new(new AuthenticationResult(outcome, message), similarity);

    private static string NormalizeClientAddress(string? clientAddress)
    {
        var trimmed = clientAddress?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return UnknownClientAddress;
        }

        return trimmed.Length <= MaxClientAddressLength ? trimmed : trimmed[..MaxClientAddressLength];
    }

    /// <param name="Similarity">What the attempt records: the best match's similarity when a face was searched.</param>
    private sealed record Decision(AuthenticationResult Result, float? Similarity);
}
