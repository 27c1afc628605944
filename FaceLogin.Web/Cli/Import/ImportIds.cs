using System.Security.Cryptography;
using System.Text;
using FaceLogin.Domain.Ports;

namespace FaceLogin.Web.Cli.Import;

/// <summary>
/// Deterministic ids, so an import can be run again and skip what it did: the person id is a name-based UUID (RFC 9562
/// version 5) of the normalised full name, the image id one of the file's SHA-256. The same photo of the same person
/// always lands on the same <see cref="FaceImageKey"/>, whatever its file name or the order of the run.
/// </summary>
public static class ImportIds
{
    /// <summary>FaceLogin's own namespace for name-based UUIDs (a fixed random UUID).</summary>
    private static readonly Guid PersonNamespace = new("6f1c2f4e-8a0b-4c55-9a57-2d0c3b9e7f11");
    private static readonly Guid ImageNamespace = new("b3e4a1d2-5c6f-4e70-8b19-0a2d4c6e8f30");

    /// <summary>Case and inner spacing do not make another person: "ann  SMITH" is "Ann Smith".</summary>
    public static Guid PersonId(string normalizedFullName) =>
        NameBased(PersonNamespace, normalizedFullName.ToUpperInvariant());

    public static Guid ImageId(ReadOnlySpan<byte> image) =>
        NameBased(ImageNamespace, Convert.ToHexStringLower(SHA256.HashData(image)));

    public static FaceImageKey KeyFor(string normalizedFullName, ReadOnlySpan<byte> image) =>
        FaceImageKey.For(PersonId(normalizedFullName), ImageId(image));

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
