using System.Net;
using System.Net.Sockets;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Faces.Cost;
using FaceLogin.Domain.Faces.Liveness;
using FaceLogin.Domain.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaceLogin.Domain.Authentication;

/// <summary>
/// Face login: judges the photo, then (if the address throttle admits it) searches the collection with the face, looks the person
/// up and records the attempt.
/// </summary>
/// <remarks>
/// <para>
/// A photo the door refuses (no face, several, too small or turned, unreadable) asks no face question: it is refused before the
/// throttle is asked, says why, and costs the address nothing (the web's per-address request and work limits bound that noise).
/// Only then does the directory decide, atomically, whether the address may ask (<see cref="IFaceDirectory.TryStartLoginAttemptAsync"/>,
/// <see cref="AddressThrottle"/>): an attempt in progress counts like a miss until it is recorded, so a burst of concurrent
/// attempts from one address gets exactly the searches the same attempts one by one would.
/// </para>
/// <para>
/// A failed sign-in whose best candidate is a registered person just below the threshold (within
/// <see cref="AuthenticationOptions.NearMatchMargin"/>) counts against that person; at <see cref="AuthenticationOptions.MaxFailedNearMatches"/>
/// in a row their face sign-in is suspended until an admin re-enables it, and a match with them answers
/// <see cref="LoginOutcome.Suspended"/> instead of signing in. A successful sign-in is never refused for other people's misses
/// beyond the delayed address's one question per <see cref="AuthenticationOptions.DelayedSearchInterval"/>, and not at all on a
/// known device (<see cref="AuthenticationRequest.KnownDevicePersonId"/>): there a delayed address gets a 1:1 verification
/// against the device's person instead of a refusal (see <see cref="VerifyKnownDeviceAsync"/>).
/// </para>
/// <para>
/// Every attempt that reaches a decision is recorded (time, outcome, similarity, client address), whatever the outcome, and
/// it is recorded even when the caller cancels after the decision. An attempt cancelled or failing before its decision is not
/// recorded, and its start keeps counting as a miss until it is older than a request can live
/// (<see cref="AuthenticationOptions.MaxRequestAge"/>): hanging up mid-search gains nothing, and a crash does not hold the address.
/// </para>
/// </remarks>
public sealed class AuthenticationService(
    IFaceCollection faces,
    IFaceDirectory directory,
    IOptions<AuthenticationOptions> options,
    TimeProvider time,
    ILogger<AuthenticationService> logger,
    DominantFaceRule? faceRule = null,
    IOptions<ImageBudgetOptions>? imageBudgets = null,
    IOptions<LivenessOptions>? liveness = null,
    LivenessJudge? livenessJudge = null)
{
    public const string SuspendedMessage =
        "Face sign-in is paused for this account after too many failed attempts. Please ask an administrator to re-enable it.";

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
    private readonly ImageBudget _imageBudget = (imageBudgets?.Value ?? new ImageBudgetOptions()).SignIn;
    private readonly AddressThrottle _throttle = new(options.Value);

    /// <summary>The sign-in door's liveness mode; without options (a service built by hand in a test) the door asks for none.</summary>
    private readonly LivenessMode _livenessMode = liveness?.Value.SignIn ?? LivenessMode.Off;
    private readonly LivenessGate _livenessGate = new(livenessJudge);

    public async Task<AuthenticationResult> AuthenticateAsync(AuthenticationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var clientAddress = NormalizeClientAddress(request.ClientAddress);
        var now = time.GetUtcNow();
        var attemptId = Guid.NewGuid();

        // Liveness first (the door's mode: the burst answering the challenge, or the photo's passive score), then the photo
        // (the burst's frontal frame) is judged, both before the throttle is asked: a refusal that asks no face question (no face,
        // two people, a bad image) takes no slot. A refusal as not live does count, like a face that matched nobody.
        var (liveness, decision) = CheckLiveness(request, cancellationToken);
        decision ??= liveness.Passed ? await JudgePhotoAsync(liveness.Photo, cancellationToken).ConfigureAwait(false) : null;
        if (decision is null)
        {
            var gate = await directory.TryStartLoginAttemptAsync(attemptId, clientAddress, now, _throttle, cancellationToken).ConfigureAwait(false);
            if (gate.IsAdmitted)
            {
                // A free address (or its lane) identifies, known device or not.
                decision = NotLive(liveness) ?? await DecideAsync(liveness.Photo, knownDevice: null, now, cancellationToken).ConfigureAwait(false);
            }
            else if (await KnownDeviceAsync(request.KnownDevicePersonId, cancellationToken).ConfigureAwait(false) is { } knownDevice)
            {
                decision = NotLive(liveness) ?? await DecideAsync(liveness.Photo, knownDevice, now, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // Decided before any face is searched: a delayed client learns nothing more.
                decision = new Decision(new AuthenticationResult(LoginOutcome.LockedOut, DelayedMessage(gate)) { RetryAfter = gate.RetryAfter }, null);
            }
        }

        var attempt = new LoginAttempt(
            attemptId, now, decision.RecordedOutcome ?? decision.Result.Outcome, decision.Result.Person?.Id ?? decision.RecordedPersonId, decision.Similarity, clientAddress)
        {
            LivenessRefusal = decision.LivenessRefusal,
        };
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

    /// <summary>
    /// The door's liveness check (<see cref="LivenessGate"/>), and its refusal when it asks no face question (no face, two people,
    /// a burst over the budget or malformed); a refusal as not live comes back in the check, for <see cref="NotLive"/> to
    /// answer once the throttle has counted it.
    /// </summary>
    private (LivenessCheck Check, Decision? Refusal) CheckLiveness(AuthenticationRequest request, CancellationToken cancellationToken)
    {
        LivenessCheck check;
        try
        {
            check = _livenessGate.Check(_livenessMode, _imageBudget, request.Image, request.Burst, cancellationToken);
        }
        catch (FaceImageRejectedException ex)
        {
            return (new LivenessCheck(ReadOnlyMemory<byte>.Empty, null), new Decision(new AuthenticationResult(LoginOutcome.BadImage, FaceFeedback.ForRejection(ex)), null));
        }

        if (check.Passed || check.CountsAsAttempt)
        {
            return (check, null);
        }

        var refusal = check.Verdict!.Refusal;
        var outcome = refusal switch
        {
            LivenessRefusal.NoFace => LoginOutcome.NoFace,
            LivenessRefusal.SeveralPeople => LoginOutcome.MultipleFaces,
            _ => LoginOutcome.BadImage,
        };
        return (check, Refused(outcome, LivenessFeedback.For(refusal)) with { LivenessRefusal = refusal });
    }

    /// <summary>The answer to a presentation liveness refused: what to do, never which check refused (that goes to the log).</summary>
    private Decision? NotLive(LivenessCheck check)
    {
        if (!check.CountsAsAttempt)
        {
            return null;
        }

        var refusal = check.Verdict!.Refusal;
        logger.LogInformation("A sign-in was refused as not live: {Refusal}", refusal);
        return Refused(LoginOutcome.NotLive, LivenessFeedback.For(refusal)) with { LivenessRefusal = refusal };
    }

    /// <summary>The door's refusal of the photo itself (no face question asked), or null when it shows one usable face.</summary>
    private async Task<Decision?> JudgePhotoAsync(ReadOnlyMemory<byte> image, CancellationToken cancellationToken)
    {
        try
        {
            // The sign-in door's size and pixel budget, from the header: an image over it is refused before anything is decoded.
            _imageBudget.Check(image.Span);

            // The one admission policy of every door: the person is the largest face (faces far behind them are ignored, a second
            // one as close is refused), and a face too dark, small, blurred, turned or upside down is refused saying why, before
            // any search. The search looks at the largest face too.
            var detected = await faces.DetectFacesAsync(image, cancellationToken).ConfigureAwait(false);
            var admission = _admission.Admit(detected.Faces);
            return admission.Kind switch
            {
                FaceAdmissionKind.NoFace => Refused(LoginOutcome.NoFace, admission.Message),
                FaceAdmissionKind.SeveralPeople => Refused(LoginOutcome.MultipleFaces, admission.Message),
                FaceAdmissionKind.PoorQuality => Refused(LoginOutcome.PoorQuality, admission.Message),
                _ => null,
            };
        }
        catch (FaceImageRejectedException ex)
        {
            return new Decision(new AuthenticationResult(LoginOutcome.BadImage, FaceFeedback.ForRejection(ex)), null);
        }
    }

    /// <param name="knownDevice">Null: identify (anybody may sign in); else verify the face is this person's.</param>
    private async Task<Decision> DecideAsync(ReadOnlyMemory<byte> image, Person? knownDevice, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            return knownDevice is null
                ? await RecogniseAsync(image, now, cancellationToken).ConfigureAwait(false)
                : await VerifyKnownDeviceAsync(image, knownDevice, now, cancellationToken).ConfigureAwait(false);
        }
        catch (FaceImageRejectedException ex)
        {
            return new Decision(new AuthenticationResult(LoginOutcome.BadImage, FaceFeedback.ForRejection(ex)), null);
        }
    }

    private async Task<Decision> RecogniseAsync(ReadOnlyMemory<byte> image, DateTimeOffset now, CancellationToken cancellationToken)
    {
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

        if (await AcceptedMatchAsync(search.Matches, cancellationToken).ConfigureAwait(false) is { } accepted)
        {
            if (accepted.Person.IsFaceSignInSuspended)
            {
                // Only a face that would have signed in as this person gets here: telling it the account is paused says less
                // than signing it in would, and tells the person themselves what to do.
                logger.LogInformation("Person {PersonId} matched a sign-in but their face sign-in is suspended", accepted.Person.Id);
                return Refused(LoginOutcome.Suspended, SuspendedMessage, accepted.Match.Similarity);
            }

            return await SignedInAsync(accepted, now).ConfigureAwait(false);
        }

        await CountNearMatchAsync(search.Matches, now).ConfigureAwait(false);
        return Refused(LoginOutcome.NotRecognised, NotRecognisedMessage, search.Matches[0].Similarity);
    }

    /// <summary>
    /// A known device at a delayed address: the same search, but only the device's own person may sign in — a 1:1 verification,
    /// so it asks the address's lane nothing and is recorded outside it (<see cref="LoginOutcome.SignedInOnKnownDevice"/>). Any
    /// other answer (nobody, somebody else, a suspended somebody) is "not recognised", says nothing about whom, and counts against
    /// the device's person whatever the score: a copied device cookie gets at most
    /// <see cref="AuthenticationOptions.MaxFailedNearMatches"/> tries before that person's face sign-in is suspended. It does not
    /// count against the address: it is already bounded per person, and a subscriber fumbling on their own device must not delay
    /// the colleagues who have none.
    /// </summary>
    private async Task<Decision> VerifyKnownDeviceAsync(ReadOnlyMemory<byte> image, Person device, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var search = await faces.SearchFacesByImageAsync(image, similarityThreshold: 0, MatchCandidates, cancellationToken).ConfigureAwait(false);
        if (search.SearchedFace is null)
        {
            return Refused(LoginOutcome.NoFace, FaceFeedback.NoFace);
        }

        if (await AcceptedMatchAsync(search.Matches, cancellationToken).ConfigureAwait(false) is { } accepted
            && accepted.Person.Id == device.Id && !accepted.Person.IsFaceSignInSuspended)
        {
            return await SignedInAsync(accepted, now, LoginOutcome.SignedInOnKnownDevice).ConfigureAwait(false);
        }

        // Counted even when the caller has gone: the search ran.
        logger.LogInformation("A known device of person {PersonId} was used at a delayed address with a face that is not theirs", device.Id);
        if (await directory.RecordNearMatchAsync(device.Id, now, _settings.MaxFailedNearMatches, CancellationToken.None).ConfigureAwait(false))
        {
            logger.LogWarning("Face sign-in of person {PersonId} is suspended after {Count} failures in a row", device.Id, _settings.MaxFailedNearMatches);
        }

        var notRecognised = Refused(LoginOutcome.NotRecognised, NotRecognisedMessage, search.Matches.Count > 0 ? search.Matches[0].Similarity : null);
        return notRecognised with { RecordedOutcome = LoginOutcome.KnownDeviceNotRecognised, RecordedPersonId = device.Id };
    }

    /// <summary>
    /// The match a sign-in accepts, best first: the first at or above the threshold that belongs to a person; faces that belong
    /// to nobody are passed over. Matches below the threshold cannot sign in, and neither can any after them.
    /// </summary>
    private async Task<AcceptedMatch?> AcceptedMatchAsync(IReadOnlyList<FaceMatch> matches, CancellationToken cancellationToken)
    {
        foreach (var match in matches.TakeWhile(m => m.Similarity >= _settings.MatchThreshold))
        {
            var face = await directory.FindFaceAsync(match.Face.FaceId, cancellationToken).ConfigureAwait(false);
            var person = face is null ? null : await directory.GetPersonAsync(face.PersonId, cancellationToken).ConfigureAwait(false);
            if (person is not null)
            {
                return new AcceptedMatch(match, person);
            }

            logger.LogWarning("Face {FaceId} matched a sign-in but belongs to nobody in the directory; passed over", match.Face.FaceId);
        }

        return null;
    }

    private async Task<Decision> SignedInAsync(AcceptedMatch accepted, DateTimeOffset now, LoginOutcome? recordedOutcome = null)
    {
        var (match, person) = accepted;
        await directory.RecordSignInAsync(person.Id, now, CancellationToken.None).ConfigureAwait(false);
        logger.LogInformation("Person {PersonId} signed in with similarity {Similarity:F1}", person.Id, match.Similarity);
        var signedIn = person with { LastSignInAt = now, FailedNearMatches = 0 };
        return new Decision(new AuthenticationResult(LoginOutcome.SignedIn, $"Welcome back, {person.FullName}.", signedIn, match.Similarity), match.Similarity)
        {
            RecordedOutcome = recordedOutcome,
        };
    }

    /// <summary>The known device's person while they can sign in: a device of somebody deleted or suspended counts for nothing.</summary>
    private async Task<Person?> KnownDeviceAsync(Guid? personId, CancellationToken cancellationToken) =>
        personId is { } id && await directory.GetPersonAsync(id, cancellationToken).ConfigureAwait(false) is { IsFaceSignInSuspended: false } person
            ? person
            : null;

    /// <summary>
    /// The best candidate below the threshold but within the margin, if it is a registered person, has one more near-match
    /// against them (see <see cref="IFaceDirectory.RecordNearMatchAsync"/>). Counted even when the caller has gone: the search ran.
    /// </summary>
    private async Task CountNearMatchAsync(IReadOnlyList<FaceMatch> matches, DateTimeOffset now)
    {
        var threshold = _settings.MatchThreshold;
        if (matches.FirstOrDefault(m => m.Similarity < threshold) is not { } best || best.Similarity < threshold - _settings.NearMatchMargin)
        {
            return;
        }

        if (await directory.FindFaceAsync(best.Face.FaceId, CancellationToken.None).ConfigureAwait(false) is not { } face)
        {
            return;
        }

        if (await directory.RecordNearMatchAsync(face.PersonId, now, _settings.MaxFailedNearMatches, CancellationToken.None).ConfigureAwait(false))
        {
            logger.LogWarning("Face sign-in of person {PersonId} is suspended after {Count} near-matches in a row", face.PersonId, _settings.MaxFailedNearMatches);
        }
    }

    /// <summary>What a delayed client is told, at sign-in and at sign-up: how long to wait, and nothing about anybody.</summary>
    internal static string DelayedMessage(ThrottleDecision gate)
    {
        var seconds = gate.RetryAfterSeconds;
        var wait = seconds < 120 ? $"{seconds} seconds" : $"{(int)Math.Ceiling(seconds / 60.0)} minutes";
        return $"Too many attempts from your network matched nobody. Please wait {wait}, then try again.";
    }

    private static Decision Refused(LoginOutcome outcome, string message, float? similarity = null) =>
        new(new AuthenticationResult(outcome, message), similarity);

    /// <param name="Similarity">What the attempt records: the matched face's similarity, or for a refusal the best one's.</param>
    private sealed record Decision(AuthenticationResult Result, float? Similarity)
    {
        /// <summary>What the attempt log records when it differs from what the caller is told (a known device's attempt).</summary>
        public LoginOutcome? RecordedOutcome { get; init; }

        /// <summary>The person a refused attempt is recorded against (the known device's), where the result names nobody.</summary>
        public Guid? RecordedPersonId { get; init; }

        /// <summary>Which liveness check refused, for the attempt log.</summary>
        public LivenessRefusal? LivenessRefusal { get; init; }
    }

    private sealed record AcceptedMatch(FaceMatch Match, Person Person);
}
