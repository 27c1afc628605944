using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace FaceLogin.Domain.Registration;

/// <summary>
/// The rules for a person's full name, shared by sign-up, import and the sign-up form's validation.
/// </summary>
public static class PersonName
{
    /// <summary>In user-perceived characters (grapheme clusters), so accented and non-Latin names count as people see them.</summary>
    public const int MaxLength = 100;

    /// <summary>
    /// A bound in UTF-16 units as well: one grapheme can carry any number of combining marks, so 100 graphemes alone
    /// would not bound what is stored and displayed.
    /// </summary>
    private const int MaxUtf16Length = 4 * MaxLength;

    public const string EmptyMessage = "Enter your full name.";
    public const string TooLongMessage = "Your name can be at most 100 characters long.";
    public const string InvalidCharactersMessage =
        "Your name contains characters that aren't allowed, such as tabs, line breaks or text-direction controls.";
    public const string NoLettersMessage = "Your name must contain letters.";

    /// <summary>
    /// What name search matches and people are sorted by, in every directory: trimmed and upper-cased without culture, so "ann"
    /// finds "Ann Smith" and "élodie" sorts with "ÉLODIE" on every machine.
    /// </summary>
    public static string SearchKey(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToUpperInvariant();
    }

    /// <summary>
    /// Trims white space and invisible format characters from both ends and checks what is left.
    /// (Unicode normalisation is not applied: the app runs in invariant-globalisation mode, where it is not available.)
    /// </summary>
    public static bool TryNormalize(string? input, [NotNullWhen(true)] out string? name, out string problem)
    {
        name = null;
        var trimmed = TrimInvisible(input ?? string.Empty);
        if (trimmed.Length == 0)
        {
            problem = EmptyMessage;
            return false;
        }

        if (trimmed.Length > MaxUtf16Length || new StringInfo(trimmed).LengthInTextElements > MaxLength)
        {
            problem = TooLongMessage;
            return false;
        }

        if (!IsWellFormed(trimmed) || trimmed.Any(IsForbidden))
        {
            problem = InvalidCharactersMessage;
            return false;
        }

        if (!HasLetterOrDigit(trimmed))
        {
            problem = NoLettersMessage;
            return false;
        }

        name = trimmed;
        problem = string.Empty;
        return true;
    }

    private static string TrimInvisible(string value)
    {
        var start = 0;
        var end = value.Length;
        while (start < end && IsInvisible(value[start]))
        {
            start++;
        }

        while (end > start && IsInvisible(value[end - 1]))
        {
            end--;
        }

        return value[start..end];
    }

    /// <summary>White space, and format characters such as zero-width spaces and byte-order marks.</summary>
    private static bool IsInvisible(char c) =>
        char.IsWhiteSpace(c) || char.GetUnicodeCategory(c) == UnicodeCategory.Format;

    private static bool HasLetterOrDigit(string value)
    {
        foreach (var rune in value.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Lone surrogates cannot be stored or shown faithfully.</summary>
    private static bool IsWellFormed(string value)
    {
        var rest = value.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return false;
            }

            rest = rest[consumed..];
        }

        return true;
    }

    /// <summary>
    /// Control characters (tabs, line feeds, NUL…), line and paragraph separators, and the bidirectional embedding,
    /// override and isolate controls, which can make a name in the admin list read as a different one.
    /// Zero-width joiners stay allowed: some scripts and emoji need them.
    /// </summary>
    private static bool IsForbidden(char c) =>
        char.IsControl(c)
        || c is '\u2028' or '\u2029'
        || c is >= '\u202A' and <= '\u202E'
        || c is >= '\u2066' and <= '\u2069';
}
