using System.Net;
using System.Net.Sockets;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaceLogin.Domain.Authentication;

/// <summary>Face login: searches the collection with the face in the image, looks the person up and records the attempt.</summary>
/// <remarks>
/// <para>
/// Lock-out is decided by the directory before anything else, atomically (<see cref="IFaceDirectory.TryStartLoginAttemptAsync"/>):
/// an attempt in progress counts like a failure until it is recorded, so a burst of concurrent attempts from one address
/// (in one process or many) gets at most <see cref="AuthenticationOptions.MaxFailedAttempts"/> searches.
/// </para>
/// <para>
/// Every attempt that reaches a decision is recorded (time, outcome, similarity, client address), whatever the outcome, and
/// it is recorded even when the caller cancels after the decision. An attempt cancelled or failing before its decision is not
/// recorded, and its start keeps counting towards lock-out until it leaves the window: hanging up mid-search gains nothing.
/// </para>
/// </remarks>
public sealed class AuthenticationService(
    IFaceCollection faces,
    IFaceDirectory directory,
    IOptions<AuthenticationOptions> options,
    TimeProvider time,
    ILogger<AuthenticationService> logger,
    DominantFaceRule? faceRule = null)
{
    public const string NotRecognisedMessage =
        "We didn't recognise your face. Try again facing the camera in good light, or sign up if you are new.";

    /// <summary>Recorded for a request that came without a client address (e.g. from a test host).</summary>
    public const string UnknownClientAddress = "unknown";

    /// <summary>Long enough for any IPv6 address with a zone; anything longer is not an address and is cut.</summary>
    private const int MaxClientAddressLength = 64;

    /// <summary>
    /// Matches looked at: the best one may be a face left in the collection by a crashed registration, which belongs to nobody
    /// and must not hide its owner's own registered face just behind it.
    /// </summary>
    private const int MatchCandidates = 5;

    private readonly AuthenticationOptions _settings = options.Value;
    private readonly FaceAdmissionPolicy _admission = new(options.Value.Quality, faceRule ?? DominantFaceRule.Default);

    public async Task<AuthenticationResult> AuthenticateAsync(AuthenticationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var clientAddress = NormalizeClientAddress(request.ClientAddress);
        var now = time.GetUtcNow();
        var attemptId = Guid.NewGuid();

        var started = await directory.TryStartLoginAttemptAsync(
            attemptId, clientAddress, now, now - _settings.LockOutWindow, _settings.MaxFailedAttempts, cancellationToken).ConfigureAwait(false);
        var decision = started
            ? await DecideAsync(request.Image, now, cancellationToken).ConfigureAwait(false)
            // Decided before any face is searched: a locked-out client learns nothing more.
            : new Decision(new AuthenticationResult(LoginOutcome.LockedOut, LockedOutMessage(_settings.LockOutWindow)), null);

        var attempt = new LoginAttempt(attemptId, now, decision.Result.Outcome, decision.Result.Person?.Id, decision.Similarity, clientAddress);
        await directory.AddLoginAttemptAsync(attempt, CancellationToken.None).ConfigureAwait(false);
        return decision.Result;
    }

    /// <summary>
    /// The key lock-out counts and the attempt log records: an IPv4 address as it is (IPv4-mapped IPv6 included); an IPv6
    /// address as its /64 network, because one subscriber usually holds a whole /64 and could otherwise rotate through it for
    /// unlimited tries (loopback stays itself). Anything else (a proxy's placeholder) is kept as text, trimmed and cut to a
    /// bounded length. Public so that the web's throttling keys clients exactly as lock-out does; normalising twice changes nothing.
    /// </summary>
    public static string NormalizeClientAddress(string? clientAddress)
    {
        var trimmed = clientAddress?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return UnknownClientAddress;
        }

        if (IPAddress.TryParse(trimmed, out var address))
        {
            if (address.IsIPv4MappedToIPv6)
            {
                return address.MapToIPv4().ToString();
            }

            if (address.AddressFamily == AddressFamily.InterNetworkV6 && !IPAddress.IsLoopback(address))
            {
                var bytes = address.GetAddressBytes();
                Array.Clear(bytes, 8, 8);
                return new IPAddress(bytes).ToString() + "/64";
            }

            return address.ToString();
        }

        return trimmed.Length <= MaxClientAddressLength ? trimmed : trimmed[..MaxClientAddressLength];
    }

    private async Task<Decision> DecideAsync(ReadOnlyMemory<byte> image, DateTimeOffset now, CancellationToken cancellationToken)
    {
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
        // The one admission policy of every door: the person is the largest face (faces far behind them are ignored, a second
        // one as close is refused), and a face too dark, small, blurred, turned or upside down is refused saying why, before any
        // search. The search below looks at the largest face too.
        var detected = await faces.DetectFacesAsync(image, cancellationToken).ConfigureAwait(false);
        var admission = _admission.Admit(detected.Faces);
        switch (admission.Kind)
        {
            case FaceAdmissionKind.NoFace:
                return Refused(LoginOutcome.NoFace, admission.Message);
            case FaceAdmissionKind.SeveralPeople:
                return Refused(LoginOutcome.MultipleFaces, admission.Message);
            case FaceAdmissionKind.PoorQuality:
                return Refused(LoginOutcome.PoorQuality, admission.Message);
        }

        // Threshold 0: the nearest faces come back even when too far, so that a refused attempt records how close it came
        // (what an admin needs to spot a mis-set threshold); whether a match is close enough is decided here.
        var search = await faces.SearchFacesByImageAsync(image, similarityThreshold: 0, MatchCandidates, cancellationToken).ConfigureAwait(false);
        if (search.SearchedFace is null)
        {
            return Refused(LoginOutcome.NoFace, FaceFeedback.NoFace);
        }

        if (search.Matches.Count == 0)
        {
            return Refused(LoginOutcome.NotRecognised, NotRecognisedMessage);
        }

        // Best first: the first match at or above the threshold that belongs to a person signs in; faces that belong to nobody
        // are passed over. Matches below the threshold cannot sign in, and neither can any after them.
        foreach (var match in search.Matches.TakeWhile(m => m.Similarity >= _settings.MatchThreshold))
        {
            var face = await directory.FindFaceAsync(match.Face.FaceId, cancellationToken).ConfigureAwait(false);
            var person = face is null ? null : await directory.GetPersonAsync(face.PersonId, cancellationToken).ConfigureAwait(false);
            if (person is null)
            {
                logger.LogWarning("Face {FaceId} matched a sign-in but belongs to nobody in the directory; passed over", match.Face.FaceId);
                continue;
            }

            await directory.RecordSignInAsync(person.Id, now, CancellationToken.None).ConfigureAwait(false);
            logger.LogInformation("Person {PersonId} signed in with similarity {Similarity:F1}", person.Id, match.Similarity);
            var signedIn = person with { LastSignInAt = now };
            return new Decision(new AuthenticationResult(LoginOutcome.SignedIn, $"Welcome back, {person.FullName}.", signedIn, match.Similarity), match.Similarity);
        }

        return Refused(LoginOutcome.NotRecognised, NotRecognisedMessage, search.Matches[0].Similarity);
    }

    /// <summary>What a locked-out client is told, at sign-in and at sign-up.</summary>
    internal static string LockedOutMessage(TimeSpan lockOutWindow)
    {
        var minutes = Math.Max(1, (int)Math.Ceiling(lockOutWindow.TotalMinutes));
        return $"Too many failed sign-in attempts from your network. Wait up to {minutes} minutes, then try again.";
    }

    private static Decision Refused(LoginOutcome outcome, string message, float? similarity = null) =>
        new(new AuthenticationResult(outcome, message), similarity);

    /// <param name="Similarity">What the attempt records: the matched face's similarity, or for a refusal the best one's.</param>
    private sealed record Decision(AuthenticationResult Result, float? Similarity);
}
