using FaceLogin.Web.Cli;
using FaceLogin.Web.Extensions;

// `dotnet run --project FaceLogin.Web -- <verb> ...` runs a command instead of the web app (`-- help` lists them; Cli/CliEntryPoint.Verbs).
if (CliEntryPoint.IsCommand(args))
{
    return await CliEntryPoint.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddFaceLoginWeb();

var app = builder.Build();
app.UseFaceLoginWeb();
await app.RunAsync();
return 0;

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
