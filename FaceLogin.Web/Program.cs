using FaceLogin.Web.Cli;
using FaceLogin.Web.Extensions;

// `dotnet run --project FaceLogin.Web -- <verb> ...` runs a command (evaluate, bench, import, provision, models) instead of the web app.
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
