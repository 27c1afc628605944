using System.Diagnostics;

namespace FaceLogin.Domain.Local.Engine.Models;

/// <summary>
/// Runs <c>npm ci</c> on the package.json and package-lock.json compiled into this assembly (exact versions with their
/// integrity, install scripts off), in a folder of the caller's choosing. The lockfile is written by hand and lists the model
/// packages alone: <c>faceplugin-face-recognition-js</c> declares its JavaScript build tools (webpack, jest, babel,
/// onnxruntime-web) as dependencies, and <c>npm ci</c> installs exactly what the lockfile lists, so none of them is fetched. The ordinary npm client and
/// its configured registry are the only source: nothing is downloaded by URL.
/// </summary>
/// <param name="npmCommand">The npm executable; tests pass a script to check what happens to the process tree.</param>
internal sealed class NpmPackageInstaller(string npmCommand = "npm")
{
    private static readonly string[] Files = ["package.json", "package-lock.json", ".npmrc"];

    /// <summary>Installs into <paramref name="folder"/> and returns its <c>node_modules</c>.</summary>
    public async Task<string> InstallAsync(string folder, TextWriter log, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        foreach (var file in Files)
        {
            await File.WriteAllBytesAsync(Path.Combine(folder, file), ModelResources.Read("FaceLogin.Models.npm." + file), cancellationToken);
        }

        var start = new ProcessStartInfo(npmCommand)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error" })
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("npm did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new ModelsUnavailableException(
                $"npm was not found ({ex.Message}). Install Node.js (with npm) to fetch the face models, then build again.");
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C during a build: npm (and the children it spawned) would otherwise go on writing into a
                // scratch folder that is about to be deleted.
                process.Kill(entireProcessTree: true);
                throw;
            }

            await log.WriteAsync(await output);
            if (process.ExitCode != 0)
            {
                throw new ModelsUnavailableException($"'npm ci' failed with exit code {process.ExitCode} in {folder}:\n{await errors}");
            }
        }

        return Path.Combine(folder, "node_modules");
    }
}
