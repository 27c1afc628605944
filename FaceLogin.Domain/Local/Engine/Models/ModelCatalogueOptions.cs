namespace FaceLogin.Domain.Local.Engine.Models;

/// <summary>The <c>FaceLogin:Engine</c> settings the model catalogue reads.</summary>
public sealed class ModelCatalogueOptions
{
    public const string SectionName = "FaceLogin:Engine";

    /// <summary>A folder holding the converted .onnx files directly. Empty: the build's cache folder (see <see cref="ModelCacheLocation"/>).</summary>
    public string? ModelPath { get; set; }
}
