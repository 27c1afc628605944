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
    /// would not bound what is stored and displayed. Also the sign-up field's input limit: far enough above
    /// <see cref="MaxLength"/> that a name one character too long is typed whole and told so, never cut short silently.
    /// </summary>
    public const int MaxUtf16Length = 4 * MaxLength;

    public const string EmptyMessage = "Enter your full name.";
    public const string TooLongMessage = "Your name can be at most 100 characters long.";
    public const string InvalidCharactersMessage =
        "Your name contains characters that aren't allowed, such as tabs, line breaks or text-direction controls.";
    public const string InvisibleCharactersMessage =
        "Your name contains invisible characters (such as zero-width spaces or text-direction marks) that would make it look like "
        + "another name. Please type it again without them.";
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
    /// Trims white space and invisible format characters from both ends, turns every other white space into one plain space,
    /// normalises to NFC (<see cref="NfcNormalizer"/>) and checks what is left: the length (after normalisation, in characters
    /// people see), control characters, and invisible characters inside the name (<see cref="IsInvisibleInside"/>).
    /// Every door that takes a name (sign-up, import, the S3-upload function) goes through here, so they all answer alike.
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

        if (!IsWellFormed(trimmed))
        {
            problem = InvalidCharactersMessage;
            return false;
        }

        if (trimmed.Any(IsForbidden))
        {
            problem = InvalidCharactersMessage;
            return false;
        }

        var normalized = NfcNormalizer.Normalize(CollapseSpaces(trimmed));
        if (normalized.Length > MaxUtf16Length || new StringInfo(normalized).LengthInTextElements > MaxLength)
        {
            problem = TooLongMessage;
            return false;
        }

        if (HasInvisibleInside(normalized))
        {
            problem = InvisibleCharactersMessage;
            return false;
        }

        if (!HasLetterOrDigit(normalized))
        {
            problem = NoLettersMessage;
            return false;
        }

        name = normalized;
        problem = string.Empty;
        return true;
    }

    /// <summary>Runs of white space (no-break, ideographic, en/em spaces…) become one plain space: they look alike.</summary>
    private static string CollapseSpaces(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (!char.IsWhiteSpace(c))
            {
                text.Append(c);
            }
            else if (text.Length > 0 && text[^1] != ' ')
            {
                text.Append(' ');
            }
        }

        return text.ToString();
    }

    private static bool HasInvisibleInside(string value)
    {
        Rune? previous = null;
        var runes = value.EnumerateRunes().ToArray();
        for (var i = 0; i < runes.Length; i++)
        {
            if (IsInvisibleInside(runes[i], previous, i + 1 < runes.Length ? runes[i + 1] : null))
            {
                return true;
            }

            previous = runes[i];
        }

        return false;
    }

    /// <summary>
    /// Characters that show nothing yet make a name differ from the one it looks like: format characters (Unicode category Cf:
    /// zero-width space, word joiner, soft hyphen, the bidi marks LRM/RLM/ALM, tags…), the combining grapheme joiner, Hangul
    /// fillers and the blank Braille pattern, and variation selectors where they change nothing.
    /// Kept where writing needs them: ZERO WIDTH JOINER and NON-JOINER (U+200D, U+200C) after a letter or mark of a script that
    /// shapes with them — Arabic and Persian (ZWNJ in many Persian names), Syriac, the Indic scripts (conjunct and half forms),
    /// Myanmar, Khmer, Mongolian — and between emoji (family, profession sequences) — never after a Latin, Greek or Cyrillic
    /// letter, where they only hide; variation selectors after a symbol (emoji presentation) or, the ideographic ones, after a
    /// CJK ideograph (a name's exact glyph).
    /// </summary>
    private static bool IsInvisibleInside(Rune rune, Rune? previous, Rune? next)
    {
        var value = rune.Value;
        if (value is 0x200C or 0x200D)
        {
            return previous is not { } before || next is not { } after || !(JoinsInScript(before) || IsEmojiPart(before))
                || !(Rune.IsLetter(after) || IsMark(after) || IsEmojiPart(after));
        }

        if (value is >= 0xFE00 and <= 0xFE0F)
        {
            return previous is not { } symbol || !IsEmojiPart(symbol);
        }

        if (value is >= 0xE0100 and <= 0xE01EF)
        {
            return previous is not { } ideograph || !IsCjkIdeograph(ideograph.Value);
        }

        return Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format
            || value is 0x034F or 0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x2800;
    }

    private static bool JoinsInScript(Rune rune) =>
        (Rune.IsLetter(rune) || IsMark(rune))
        && rune.Value is (>= 0x0600 and <= 0x08FF) // Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic, Arabic Extended
            or (>= 0x0900 and <= 0x0DFF) // Devanagari … Sinhala
            or (>= 0x1000 and <= 0x109F) // Myanmar
            or (>= 0x1780 and <= 0x18AF) // Khmer, Mongolian
            or (>= 0xA8E0 and <= 0xA8FF) // Devanagari Extended
            or (>= 0xFB50 and <= 0xFDFF) or (>= 0xFE70 and <= 0xFEFF); // Arabic presentation forms

    private static bool IsMark(Rune rune) => Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;

    /// <summary>Pictographs and other symbols, their skin-tone modifiers and the emoji presentation selector.</summary>
    private static bool IsEmojiPart(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.OtherSymbol || rune.Value is (>= 0x1F3FB and <= 0x1F3FF) or 0xFE0F;

    private static bool IsCjkIdeograph(int value) => value is (>= 0x3400 and <= 0x9FFF) or (>= 0xF900 and <= 0xFAFF) or (>= 0x20000 and <= 0x3FFFF);

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
    /// </summary>
    private static bool IsForbidden(char c) =>
        char.IsControl(c)
        || c is '\u2028' or '\u2029'
        || c is >= '\u202A' and <= '\u202E'
        || c is >= '\u2066' and <= '\u2069';
}
