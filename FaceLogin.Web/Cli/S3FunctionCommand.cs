using FaceLogin.Domain.Aws.Function;

namespace FaceLogin.Web.Cli;

/// <summary>
/// <c>s3-function</c>: the S3-upload function. Inside Lambda (custom runtime, <c>AWS_LAMBDA_RUNTIME_API</c> set) it serves
/// invocations until Lambda stops it; with <c>--event FILE</c> it handles one S3 event JSON file and prints the summary,
/// which is how an operator replays an event by hand.
/// </summary>
public sealed class S3FunctionCommand(IServiceProvider services, ILogger<LambdaRuntimeLoop> loopLogger) : ICliCommand
{
    /// <summary>Set by Lambda for a custom runtime: <c>host:port</c> of the Runtime API. Read through configuration, which includes the environment.</summary>
    public const string RuntimeApiVariable = "AWS_LAMBDA_RUNTIME_API";

    public string Name => "s3-function";

    public string Summary => "run the S3-upload function (Lambda custom runtime, or --event FILE once)";

    public async Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        if (arguments.Get("event") is { } eventFile)
        {
            var function = ResolveFunction();
            await using var input = File.OpenRead(eventFile);
            try
            {
                await using var output = await function.HandleAsync(input, cancellationToken);
                await output.CopyToAsync(Console.OpenStandardOutput(), cancellationToken);
                await Console.Out.WriteLineAsync();
                return 0;
            }
            catch (S3UploadRetryException ex)
            {
                await Console.Error.WriteLineAsync(ex.Message);
                return 1;
            }
        }

        var runtimeApi = services.GetService<IConfiguration>()?[RuntimeApiVariable] ?? Environment.GetEnvironmentVariable(RuntimeApiVariable);
        if (string.IsNullOrWhiteSpace(runtimeApi))
        {
            throw new CliUsageException($"{RuntimeApiVariable} is not set: run inside Lambda, or pass --event FILE.");
        }

        // The Runtime API's next-invocation call blocks until an event arrives: no client timeout.
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var loop = new LambdaRuntimeLoop(http, runtimeApi, loopLogger);
        S3UploadFunction served;
        try
        {
            served = ResolveFunction();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A misconfigured function (a missing setting, the wrong image store) is reported where Lambda shows it,
            // instead of as "Runtime exited"; then the process exits as it would anywhere else.
            await loop.ReportInitErrorAsync(ex, cancellationToken);
            throw;
        }

        await loop.RunAsync(served.HandleAsync, cancellationToken);
        return 0;
    }

    /// <summary>Builds the function and everything it needs; this is where a bad configuration shows.</summary>
    private S3UploadFunction ResolveFunction() =>
        services.GetService<S3UploadFunction>()
            ?? throw new CliUsageException("The S3-upload function needs FaceLogin:Images = S3.");
}
