using FaceLogin.Domain.Local.Engine.Evaluation;

namespace FaceLogin.Web.Cli;

/// <summary>
/// <c>camera-variant --dataset DIR --out DIR [--seed N]</c>: writes a camera-like copy of a dataset (see
/// <see cref="CameraVariantGenerator"/>) that <c>evaluate</c> runs on unchanged. Write it outside the repository.
/// </summary>
public sealed class CameraVariantCommand : ICliCommand
{
    public string Name => "camera-variant";

    public string Summary => "--dataset DIR --out DIR [--seed N]: camera-like 640×480 frames of a dataset, for evaluate";

    public Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var dataset = Path.GetFullPath(arguments.Require("dataset"));
        var output = Path.GetFullPath(arguments.Require("out"));
        var seed = arguments.GetInt("seed", 1);
        if (!Directory.Exists(dataset))
        {
            throw new CliUsageException($"The dataset folder {dataset} does not exist.");
        }

        if (string.Equals(dataset, output, StringComparison.Ordinal))
        {
            throw new CliUsageException("--out must differ from --dataset.");
        }

        var count = CameraVariantGenerator.Generate(dataset, output, seed, new ConsoleProgress("frames"), cancellationToken);
        Console.Out.WriteLine($"{count} frames written to {output} (seed {seed})");
        return Task.FromResult(0);
    }
}
