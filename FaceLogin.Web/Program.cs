using FaceLogin.Domain.DependencyInjection;
using FaceLogin.Web.Cli;
using FaceLogin.Web.Extensions;

// `dotnet run --project FaceLogin.Web -- <verb> ...` runs a command instead of the web app (`-- help` lists them; Cli/CliEntryPoint.Verbs).
if (CliEntryPoint.IsCommand(args))
{
    return await CliEntryPoint.RunAsync(args);
}

// The content root is the build output (appsettings.json, static-asset manifests), so the working directory is
// free to be where the user started the app: relative paths such as the default data folder `data` resolve there.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddFaceLoginWeb();

var app = builder.Build();
// Checked before the host starts: a data folder the app cannot write ends it here with one paragraph and exit code 1.
if (FaceLoginStartup.DataFolderProblem(app.Services) is { } problem)
{
    await Console.Error.WriteLineAsync(problem);
    return 1;
}

app.UseFaceLoginWeb();
try
{
    await app.RunAsync();
}
catch (FaceLoginStartupException unusable)
{
    // A store that is not usable (its message names it): said once, with exit code 1, rather than an abort with a stack trace.
    await Console.Error.WriteLineAsync(unusable.Message);
    return 1;
}

return 0;

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
