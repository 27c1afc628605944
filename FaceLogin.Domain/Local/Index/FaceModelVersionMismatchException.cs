namespace FaceLogin.Domain.Local.Index;

/// <summary>
/// The stored collection was embedded by another model (or another embedding length) than the running analyzer:
/// its embeddings cannot be compared with new ones, so it is not loaded at all.
/// </summary>
public sealed class FaceModelVersionMismatchException(string message) : InvalidOperationException(message);
