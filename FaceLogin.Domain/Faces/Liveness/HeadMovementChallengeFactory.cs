using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace FaceLogin.Domain.Faces.Liveness;

/// <summary>
/// Draws a <see cref="HeadMovementChallenge"/>: two or three steps from a cryptographic random source (an attacker who saw
/// earlier challenges must not be able to predict the next), never the same step twice in a row (two "turn left"s in a
/// row cannot be told apart from one held turn). With only left and right that makes three steps alternate, so both
/// directions appear in them.
/// </summary>
public sealed class HeadMovementChallengeFactory(TimeProvider time, IOptions<HeadMovementChallengeOptions> options)
{
    public const int MinSteps = 2;
    public const int MaxSteps = 3;

    private static readonly HeadMovement[] Movements = Enum.GetValues<HeadMovement>();

    public HeadMovementChallenge Create()
    {
        var now = time.GetUtcNow();
        if (options.Value.FixedSteps is { Count: > 0 } fixedSteps)
        {
            return new HeadMovementChallenge(Guid.NewGuid(), [.. fixedSteps], now, now + options.Value.Lifetime);
        }

        var count = RandomNumberGenerator.GetInt32(MinSteps, MaxSteps + 1);
        var steps = new HeadMovement[count];
        for (var i = 0; i < count; i++)
        {
            steps[i] = i == 0 ? Pick(Movements) : Pick(Movements.Where(m => m != steps[i - 1]).ToArray());
        }

        return new HeadMovementChallenge(Guid.NewGuid(), steps, now, now + options.Value.Lifetime);
    }

    private static HeadMovement Pick(HeadMovement[] from) => from[RandomNumberGenerator.GetInt32(from.Length)];
}
