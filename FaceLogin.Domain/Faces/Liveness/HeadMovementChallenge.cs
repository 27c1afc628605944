namespace FaceLogin.Domain.Faces.Liveness;

/// <summary>
/// A random, short sequence of head movements the person must perform, in order, between <paramref name="IssuedAt"/> and
/// <paramref name="ExpiresAt"/>. A recorded clip or a photo cannot know the order in advance; that is the point of it.
/// </summary>
/// <param name="Id">Random, unique per challenge.</param>
/// <param name="Steps">The movements in the order they must be performed.</param>
public sealed record HeadMovementChallenge(Guid Id, IReadOnlyList<HeadMovement> Steps, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);
