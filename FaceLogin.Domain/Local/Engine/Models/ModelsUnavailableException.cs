namespace FaceLogin.Domain.Local.Engine.Models;

/// <summary>The converted models are not where the catalogue looked. The message says how to make them.</summary>
public sealed class ModelsUnavailableException(string message) : Exception(message);
