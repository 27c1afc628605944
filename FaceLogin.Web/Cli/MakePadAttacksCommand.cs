using FaceLogin.Domain.Faces.Liveness;
using FaceLogin.Domain.Local.Engine.Evaluation.Pad;
using Microsoft.Extensions.Options;

namespace FaceLogin.Web.Cli;

/// <summary>
/// <c>make-pad-attacks --lfw DIR --out DIR [--people N] [--seed N]</c>: synthetic print and screen attacks made from face
/// photos (see <see cref="SyntheticPadAttacks"/>), with the manifest.tsv that <c>evaluate-pad</c> reads. Write them outside the repository.
/// </summary>
public sealed class MakePadAttacksCommand(IServiceProvider services) : ICliCommand
{
    public string Name => "make-pad-attacks";

    public string Summary => "--lfw DIR --out DIR [--people N] [--seed N]: synthetic print/screen attacks from face photos, for evaluate-pad";

    public Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var photos = Path.GetFullPath(arguments.Require("lfw"));
        var output = Path.GetFullPath(arguments.Require("out"));
        var people = arguments.GetInt("people", 40);
        var seed = arguments.GetInt("seed", 1);
        if (!Directory.Exists(photos))
        {
            throw new CliUsageException($"The photo folder {photos} does not exist.");
        }

        if (people < 1)
        {
            throw new CliUsageException("--people must be at least 1.");
        }

        var shape = (services.GetService<IOptions<LivenessOptions>>()?.Value ?? new LivenessOptions()).Burst;
        try
        {
            var written = SyntheticPadAttacks.Generate(photos, output, people, seed, shape, new ConsoleProgress("people"), cancellationToken);
            Console.Out.WriteLine($"{written.Presentations} attacks of {written.People} people written to {output} (seed {seed})");
            return Task.FromResult(0);
        }
        catch (PadInputException ex)
        {
            Console.Error.WriteLine($"make-pad-attacks: {ex.Message}");
            return Task.FromResult(2);
        }
    }
}
