namespace FaceLogin.Web.Cli;

public static class CliServiceCollectionExtensions
{
    /// <summary>
    /// Registers every verb: each is one sealed class implementing <see cref="ICliCommand"/> in this assembly,
    /// found by reflection so that adding a verb touches no shared file.
    /// </summary>
    public static IServiceCollection AddFaceLoginCommands(this IServiceCollection services)
    {
        var commandTypes = typeof(ICliCommand).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ICliCommand).IsAssignableFrom(t));
        foreach (var type in commandTypes)
        {
            services.AddSingleton(typeof(ICliCommand), type);
        }

        return services;
    }
}
