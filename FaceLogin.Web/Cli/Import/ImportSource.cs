using System.Text;

namespace FaceLogin.Web.Cli.Import;

/// <summary>One photo to import and whose it is, as the operator named them.</summary>
/// <param name="RelativePath">Path under the import folder, for the summary.</param>
/// <param name="PersonKey">Who the photo belongs to (<see cref="ImportIds"/>): the folder, the CSV id, or the CSV name.</param>
public sealed record ImportEntry(string Path, string RelativePath, string FullName, string PersonKey)
{
    public Guid PersonId => ImportIds.PersonId(PersonKey);
}

/// <summary>
/// What to import, as the seed's upload script took it: a folder per person (<c>Ann_Smith/*.jpg</c>, '_' read as a
/// space) or a CSV of <c>file,full name[,id]</c> lines (file relative to the folder; a name with commas in double quotes).
/// </summary>
/// <remarks>
/// A CSV may come from a third party (an HR export, say), so each file it names must be an image inside the import
/// folder: an absolute path or a <c>..</c> that leads out of it is a usage error, before anything is read or uploaded.
/// (Symbolic links inside the folder are the folder owner's choice and are followed.)
/// </remarks>
public static class ImportSource
{
    private static readonly string[] ImageExtensions = [".jpg", ".jpeg", ".png"];

    public static IReadOnlyList<ImportEntry> FromFolders(string root)
    {
        var entries = new List<ImportEntry>();
        foreach (var personDir in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            var folder = Path.GetFileName(personDir);
            var name = folder.Replace('_', ' ');
            foreach (var file in Directory.EnumerateFiles(personDir).Where(IsImage).Order(StringComparer.Ordinal))
            {
                entries.Add(new ImportEntry(file, Path.GetRelativePath(root, file), name, ImportIds.FolderKey(folder)));
            }
        }

        return entries;
    }

    public static IReadOnlyList<ImportEntry> FromCsv(string root, string csvPath)
    {
        var rootPrefix = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)) + Path.DirectorySeparatorChar;
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
            if (fields.Count is not (2 or 3))
            {
                throw new CliUsageException($"{csvPath}:{lineNumber}: expected 'file,full name' or 'file,full name,id', found {fields.Count} field(s).");
            }

            if (lineNumber == 1 && fields[0].Trim().Equals("file", StringComparison.OrdinalIgnoreCase))
            {
                continue; // header
            }

            var relative = fields[0].Trim();
            var full = Path.GetFullPath(Path.Combine(root, relative));
            if (!full.StartsWith(rootPrefix, StringComparison.Ordinal))
            {
                throw new CliUsageException($"{csvPath}:{lineNumber}: '{relative}' is outside the import folder {root}.");
            }

            if (!IsImage(full))
            {
                throw new CliUsageException($"{csvPath}:{lineNumber}: '{relative}' is not a {string.Join(", ", ImageExtensions)} file.");
            }

            var fullName = fields[1].Trim();
            var id = fields.Count == 3 ? fields[2].Trim() : string.Empty;
            entries.Add(new ImportEntry(full, relative, fullName, id.Length > 0 ? ImportIds.CsvIdKey(id) : ImportIds.NameKey(fullName)));
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
