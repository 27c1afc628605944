using FaceLogin.Domain.Aws.Function;

namespace FaceLogin.Web.Cli;

/// <summary>
/// <c>s3-function</c>: the S3-upload function. Inside Lambda (custom runtime, <c>AWS_LAMBDA_RUNTIME_API</c> set) it serves
/// invocations until Lambda stops it; with <c>--event FILE</c> it handles one S3 event JSON file and prints the summary,
/// which is how an operator replays an event by hand.
/// </summary>
public sealed class S3FunctionCommand(IServiceProvider services, ILogger<LambdaRuntimeLoop> loopLogger) : ICliCommand
{
    public string Name => "s3-function";

    public string Summary => "run the S3-upload function (Lambda custom runtime, or --event FILE once)";

    public async Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var function = services.GetService<S3UploadFunction>()
            ?? throw new CliUsageException("The S3-upload function needs FaceLogin:Images = S3.");

        if (arguments.Get("event") is { } eventFile)
        {
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

        var runtimeApi = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API")
            ?? throw new CliUsageException("AWS_LAMBDA_RUNTIME_API is not set: run inside Lambda, or pass --event FILE.");
        // The Runtime API's next-invocation call blocks until an event arrives: no client timeout.
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var loop = new LambdaRuntimeLoop(http, runtimeApi, loopLogger);
        await loop.RunAsync(function.HandleAsync, cancellationToken);
        return 0;
    }
}
