namespace FaceLogin.Domain.Local.Index;

/// <summary>What one catch-up did to the in-memory index.</summary>
public sealed record ChangesApplied(int Added, int Removed)
{
    public static ChangesApplied None { get; } = new(0, 0);
}
