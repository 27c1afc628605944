namespace FaceLogin.Web.Cli;

/// <summary>One verb of the command line. Implementations are registered in DI and found by <see cref="Name"/>.</summary>
public interface ICliCommand
{
    string Name { get; }

    /// <summary>One line for the usage text.</summary>
    string Summary { get; }

    Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken);
}
