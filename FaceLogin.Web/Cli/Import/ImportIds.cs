using System.Security.Cryptography;
using System.Text;
using FaceLogin.Domain.Ports;

namespace FaceLogin.Web.Cli.Import;

/// <summary>
/// Deterministic ids, so an import can be run again and skip what it did: the person id is a name-based UUID (RFC 9562
/// version 5) of the person's import key, the image id one of the file's SHA-256. The same photo of the same person
/// always lands on the same <see cref="FaceImageKey"/>, whatever its file name or the order of the run.
/// </summary>
/// <remarks>
/// The import key is what the operator controls, never the display name alone, so that two different people who share
/// a name are two accounts: the folder's name in folder mode (<see cref="FolderKey"/>), the CSV's <c>id</c> column
/// when it has one (<see cref="CsvIdKey"/>). Only a CSV without ids falls back to the name (<see cref="NameKey"/>).
/// The three kinds are prefixed, so they never collide with one another.
/// </remarks>
public static class ImportIds
{
    /// <summary>FaceLogin's own namespace for name-based UUIDs (a fixed random UUID).</summary>
    private static readonly Guid PersonNamespace = new("6f1c2f4e-8a0b-4c55-9a57-2d0c3b9e7f11");
    private static readonly Guid ImageNamespace = new("b3e4a1d2-5c6f-4e70-8b19-0a2d4c6e8f30");

    /// <summary>The person of a folder <c>DIR/Ann_Smith/</c>: the folder name exactly as it is on disk.</summary>
    public static string FolderKey(string folderName) => "folder:" + folderName;

    /// <summary>The person of a CSV line with an <c>id</c>: that id, exactly (trimmed), e.g. an employee number.</summary>
    public static string CsvIdKey(string id) => "id:" + id.Trim();

    /// <summary>
    /// The person of a CSV line without an id: the name with case and white space folded, so "ann  SMITH" is
    /// "Ann Smith" (runs of white space count as one space, ends trimmed, upper-cased invariantly).
    /// </summary>
    public static string NameKey(string fullName) =>
        "name:" + string.Join(' ', fullName.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();

    public static Guid PersonId(string personKey) => NameBased(PersonNamespace, personKey);

    public static Guid ImageId(ReadOnlySpan<byte> image) =>
        NameBased(ImageNamespace, Convert.ToHexStringLower(SHA256.HashData(image)));

    public static FaceImageKey KeyFor(string personKey, ReadOnlySpan<byte> image) =>
        FaceImageKey.For(PersonId(personKey), ImageId(image));

    /// <summary>UUID version 5: SHA-1 of the namespace's bytes (network order) and the UTF-8 name, version and variant set.</summary>
    internal static Guid NameBased(Guid ns, string name)
    {
        Span<byte> nsBytes = stackalloc byte[16];
        ns.TryWriteBytes(nsBytes, bigEndian: true, out _);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + nameBytes.Length];
        nsBytes.CopyTo(input);
        nameBytes.CopyTo(input, 16);
#pragma warning disable CA5350 // SHA-1 is what RFC 9562 prescribes for version 5; it names, it does not protect.
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
