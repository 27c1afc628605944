using Microsoft.Extensions.Logging;

namespace FaceLogin.Domain.Registration;

/// <summary>
/// The steps of a registration that changed something, each with how to take it back, undone newest first when a later
/// step fails. Undo runs without the caller's cancellation token: a cancelled request must still not leave half a
/// registration behind. An undo that fails is logged with the ids an operator needs to clean up, and the rest still run.
/// </summary>
internal sealed class UndoLog(ILogger logger)
{
    private readonly Stack<(string What, Func<Task> Undo)> _steps = new();

    public void Add(string what, Func<Task> undo) => _steps.Push((what, undo));

    /// <summary>Forgets the steps: the registration is complete and they stay.</summary>
    public void Commit() => _steps.Clear();

    /// <summary>True when every step was undone.</summary>
    public async Task<bool> RollbackAsync()
    {
        var clean = true;
        while (_steps.TryPop(out var step))
        {
            try
            {
                await step.Undo().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                clean = false;
                logger.LogError(ex, "Could not undo {Step}; it is left behind and needs removing by hand", step.What);
            }
        }

        return clean;
    }
}
