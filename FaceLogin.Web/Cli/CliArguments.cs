namespace FaceLogin.Web.Cli;

/// <summary>
/// The arguments after the verb: <c>--name value</c> options, <c>--flag</c> switches and positionals.
/// Small on purpose: the verbs have a handful of flags each, and their spelling is a contract scripts rely on.
/// </summary>
public sealed class CliArguments
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly List<string> _positionals = [];

    public CliArguments(IEnumerable<string> args)
    {
        using var e = args.GetEnumerator();
        string? pendingName = null;
        while (e.MoveNext())
        {
            var arg = e.Current;
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
            {
                if (pendingName is not null)
                {
                    _options[pendingName] = null;
                }

                var eq = arg.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                {
                    _options[arg[2..eq]] = arg[(eq + 1)..];
                    pendingName = null;
                }
                else
                {
                    pendingName = arg[2..];
                }
            }
            else if (pendingName is not null)
            {
                _options[pendingName] = arg;
                pendingName = null;
            }
            else
            {
                _positionals.Add(arg);
            }
        }

        if (pendingName is not null)
        {
            _options[pendingName] = null;
        }
    }

    public IReadOnlyList<string> Positionals => _positionals;

    public bool HasFlag(string name) => _options.ContainsKey(name);

    public string? Get(string name) => _options.TryGetValue(name, out var value) ? value : null;

    public string Require(string name) =>
        Get(name) ?? throw new CliUsageException($"--{name} is required.");

    public int GetInt(string name, int fallback) =>
        Get(name) is { } text
            ? int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new CliUsageException($"--{name} must be a whole number, not '{text}'.")
            : fallback;
}

/// <summary>Wrong use of a verb: printed with the usage text, exit code 2.</summary>
public sealed class CliUsageException(string message) : Exception(message);
