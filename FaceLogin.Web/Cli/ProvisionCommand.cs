using Amazon.Runtime;
using FaceLogin.Domain.Aws.Provisioning;

namespace FaceLogin.Web.Cli;

/// <summary>
/// <c>provision</c>: creates the AWS resources the configured modes need (bucket, tables, collection) and says, for each,
/// whether it was created, already there, or updated. Safe to run again. Needs more rights than the app (docs/aws.md).
/// </summary>
public sealed class ProvisionCommand(IServiceProvider services) : ICliCommand
{
    public string Name => "provision";

    public string Summary => "create the bucket, tables and collection AWS mode needs (idempotent)";

    public async Task<int> RunAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        if (services.GetService<AwsProvisioner>() is not { } provisioner)
        {
            await Console.Out.WriteLineAsync("Nothing to provision: FaceLogin:Images, FaceLogin:Faces and FaceLogin:Directory are all local.");
            return 0;
        }

        try
        {
            var steps = await provisioner.ProvisionAsync(cancellationToken);
            foreach (var step in steps)
            {
                var outcome = step.Outcome switch
                {
                    ProvisionOutcome.Created => "created",
                    ProvisionOutcome.Exists => "exists",
                    ProvisionOutcome.Updated => "updated",
                    ProvisionOutcome.Warning => "WARNING",
                    _ => "not supported",
                };
                await Console.Out.WriteLineAsync($"{outcome,-14}{step.Resource,-26}{step.Name}{(step.Detail is null ? "" : $"  ({step.Detail})")}");
            }

            return 0;
        }
        catch (AmazonServiceException ex)
        {
            await Console.Error.WriteLineAsync($"provision: AWS refused {ex.ErrorCode} ({(int)ex.StatusCode}): {ex.Message}");
            return 1;
        }
    }
}
