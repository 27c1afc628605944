namespace FaceLogin.Web.Cli;

public static class CliServiceCollectionExtensions
{
    /// <summary>Registers every verb. Each verb is one sealed class implementing <see cref="ICliCommand"/>.</summary>
    public static IServiceCollection AddFaceLoginCommands(this IServiceCollection services)
    {
        return services;
    }
}
