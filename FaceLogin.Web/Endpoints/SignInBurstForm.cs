using System.Globalization;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Faces.Cost;
using FaceLogin.Domain.Faces.Liveness;
using FaceLogin.Web.Messages;

namespace FaceLogin.Web.Endpoints;

/// <summary>
/// The burst fields of POST /auth/login, as the sign-in page sends them: <c>challenge</c> (the token of
/// POST /auth/liveness), <c>frames</c> (JPEG files, in the order captured), <c>frameTimes</c> and <c>stepTimes</c>
/// (comma-separated whole milliseconds after the burst began: one per frame, one per step). Read and checked here for
/// their form only — every frame within the sign-in door's <see cref="ImageBudget"/> from its header, all of them together
/// within its byte limit, the times whole numbers in range and as many as they stand for; whether they answer the challenge
/// is the judge's question (<see cref="LivenessJudge"/>).
/// </summary>
public sealed class SignInBurstForm
{
    public const string ChallengeField = "challenge";
    public const string FramesField = "frames";
    public const string FrameTimesField = "frameTimes";
    public const string StepTimesField = "stepTimes";

    /// <summary>No time in a burst can be later than this (the judge's own limit is seconds; this only bounds parsing).</summary>
    public const int MaxTimeMs = 60_000;

    private SignInBurstForm(string? token, IReadOnlyList<byte[]> frames, IReadOnlyList<int> frameTimes, IReadOnlyList<int> stepTimes)
    {
        Token = token;
        Frames = frames;
        FrameTimes = frameTimes;
        StepTimes = stepTimes;
    }

    public string? Token { get; }

    public IReadOnlyList<byte[]> Frames { get; }

    public IReadOnlyList<int> FrameTimes { get; }

    public IReadOnlyList<int> StepTimes { get; }

    /// <summary>The post answers a challenge (any burst field is there), rather than sending the single <c>image</c>.</summary>
    public static bool IsIn(IFormCollection form) =>
        form.ContainsKey(ChallengeField) || form.ContainsKey(FrameTimesField) || form.ContainsKey(StepTimesField) || form.Files.GetFiles(FramesField).Count > 0;

    /// <summary>The burst, or the message of a 400 saying what is wrong with the fields.</summary>
    public static async Task<(SignInBurstForm? Burst, string? Problem)> ReadAsync(
        IFormCollection form, ImageBudget budget, LivenessBurstShape shape, CancellationToken cancellationToken)
    {
        var files = form.Files.GetFiles(FramesField);
        if (files.Count == 0)
        {
            return (null, SignInMessages.NoPhoto);
        }

        if (files.Count > shape.MaxFrames)
        {
            return (null, SignInMessages.TooManyFrames(shape.MaxFrames));
        }

        // Declared sizes first, so that nothing is copied out of a post that is too large as a whole.
        if (files.Any(f => f.Length == 0))
        {
            return (null, SignInMessages.NoPhoto);
        }

        if (files.Sum(f => f.Length) > budget.MaxBytes)
        {
            return (null, SignInMessages.BurstTooLarge(budget.MaxBytes));
        }

        if (ParseTimes(Single(form[FrameTimesField])) is not { } frameTimes || frameTimes.Count != files.Count)
        {
            return (null, SignInMessages.BurstMalformed(FrameTimesField));
        }

        if (ParseTimes(Single(form[StepTimesField])) is not { Count: > 0 } stepTimes)
        {
            return (null, SignInMessages.BurstMalformed(StepTimesField));
        }

        var frames = new byte[files.Count][];
        for (var i = 0; i < files.Count; i++)
        {
            frames[i] = await ReadAsync(files[i], cancellationToken);
            try
            {
                // The door's pixel and progressive-memory budget from the header, as for a single photo: nothing is decoded here.
                budget.Check(frames[i]);
            }
            catch (FaceImageRejectedException rejected)
            {
                return (null, FaceFeedback.ForRejection(rejected));
            }
        }

        var token = Single(form[ChallengeField]);
        return (new SignInBurstForm(string.IsNullOrEmpty(token) ? null : token, frames, frameTimes, stepTimes), null);
    }

    /// <summary>The burst the judge takes, with the steps the server issued (never the client's word for them).</summary>
    public LivenessBurst ToBurst(IReadOnlyList<HeadMovement> steps) =>
        new(steps, StepTimes, [.. Frames.Select((frame, i) => new LivenessFrame(frame, FrameTimes[i]))]);

    /// <summary>"0,231,460": whole milliseconds in 0..<see cref="MaxTimeMs"/>; null for anything else (missing, empty, signs, spaces).</summary>
    internal static List<int>? ParseTimes(string? field)
    {
        if (string.IsNullOrEmpty(field) || field.Length > 4096)
        {
            return null;
        }

        var times = new List<int>();
        foreach (var part in field.Split(','))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) || ms > MaxTimeMs)
            {
                return null;
            }

            times.Add(ms);
        }

        return times;
    }

    /// <summary>The field's value when it was sent once; a field sent twice is as malformed as a missing one.</summary>
    private static string? Single(Microsoft.Extensions.Primitives.StringValues values) => values.Count == 1 ? values[0] : null;

    private static async Task<byte[]> ReadAsync(IFormFile file, CancellationToken cancellationToken)
    {
        await using var source = file.OpenReadStream();
        var buffer = new byte[file.Length];
        await source.ReadExactlyAsync(buffer, cancellationToken);
        return buffer;
    }
}
