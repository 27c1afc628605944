using System.Reflection;

namespace FaceLogin.Domain.Local.Engine.Models;

/// <summary>The model supply chain's files compiled into this assembly (pins, fingerprint, npm manifest), so any build output can prepare models.</summary>
internal static class ModelResources
{
    public static byte[] Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Resource {name} is missing from {typeof(ModelResources).Assembly.GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
