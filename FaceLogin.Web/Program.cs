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
app.UseFaceLoginWeb();
await app.RunAsync();
return 0;

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
