using System.Text;

namespace FaceLogin.Web.Cli.Import;

/// <summary>One photo to import and whose it is, as the operator named them.</summary>
/// <param name="RelativePath">Path under the import folder, for the summary.</param>
public sealed record ImportEntry(string Path, string RelativePath, string FullName);

/// <summary>
/// What to import, as the seed's upload script took it: a folder per person (<c>Ann_Smith/*.jpg</c>, '_' read as a
/// space) or a CSV of <c>file,full name</c> lines (file relative to the folder; a name with commas in double quotes).
/// </summary>
public static class ImportSource
{
    private static readonly string[] ImageExtensions = [".jpg", ".jpeg", ".png"];

    public static IReadOnlyList<ImportEntry> FromFolders(string root)
    {
        var entries = new List<ImportEntry>();
        foreach (var personDir in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(personDir).Replace('_', ' ');
            foreach (var file in Directory.EnumerateFiles(personDir).Where(IsImage).Order(StringComparer.Ordinal))
            {
                entries.Add(new ImportEntry(file, Path.GetRelativePath(root, file), name));
            }
        }

        return entries;
    }

    public static IReadOnlyList<ImportEntry> FromCsv(string root, string csvPath)
    {
        var entries = new List<ImportEntry>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(csvPath, Encoding.UTF8))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line) || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            var fields = SplitCsvLine(line);
            if (fields.Count != 2)
            {
                throw new CliUsageException($"{csvPath}:{lineNumber}: expected 'file,full name', found {fields.Count} field(s).");
            }

            if (lineNumber == 1 && fields[0].Trim().Equals("file", StringComparison.OrdinalIgnoreCase))
            {
                continue; // header
            }

            var relative = fields[0].Trim();
            var full = Path.GetFullPath(Path.Combine(root, relative));
            entries.Add(new ImportEntry(full, relative, fields[1].Trim()));
        }

        return entries;
    }

    private static bool IsImage(string path) =>
        ImageExtensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);

    /// <summary>RFC 4180 fields: commas separate, double quotes enclose, two double quotes inside are one.</summary>
    internal static List<string> SplitCsvLine(string line)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        fields.Add(current.ToString());
        return fields;
    }
}
