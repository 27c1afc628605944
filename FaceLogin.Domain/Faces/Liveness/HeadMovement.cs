namespace FaceLogin.Domain.Faces.Liveness;

/// <summary>One step of a <see cref="HeadMovementChallenge"/>: where the person is asked to turn their head.</summary>
public enum HeadMovement
{
    TurnLeft,
    TurnRight,
}
