using System.ComponentModel.DataAnnotations;

namespace FaceLogin.Domain.DependencyInjection;

/// <summary>The <c>FaceLogin</c> configuration section: what the whole application shares.</summary>
public sealed class FaceLoginOptions
{
    public const string SectionName = "FaceLogin";

    /// <summary>Where local mode keeps its SQLite files, images and data-protection keys. Relative paths are relative to the working directory.</summary>
    [Required]
    public string DataPath { get; set; } = "data";

    /// <summary>Which image store: <c>Local</c> (files under DataPath) or <c>S3</c>.</summary>
    public ImageStoreKind Images { get; set; } = ImageStoreKind.Local;

    /// <summary>Which face collection: <c>Local</c> (the ONNX engine) or <c>Rekognition</c>.</summary>
    public FaceCollectionKind Faces { get; set; } = FaceCollectionKind.Local;

    /// <summary>Which directory of people: <c>Sqlite</c> or <c>DynamoDb</c>.</summary>
    public DirectoryKind Directory { get; set; } = DirectoryKind.Sqlite;

    /// <summary>
    /// Person ids (GUIDs, as the account and admin pages show them) that are admins besides the people flagged in the directory.
    /// Ids, never names: a name is whatever somebody typed at sign-up, neither unique nor verified. Every entry must parse as a
    /// GUID, or start-up fails naming the entry (<see cref="AdminIdsValidator"/>).
    /// </summary>
    public List<string> Admins { get; set; } = [];

    /// <summary>True when <paramref name="personId"/> is listed in <see cref="Admins"/>.</summary>
    public bool IsConfiguredAdmin(Guid personId) => Admins.Any(entry => Guid.TryParse(entry, out var id) && id == personId);

    public string ResolveDataPath() => Path.GetFullPath(DataPath);
}

public enum ImageStoreKind { Local, S3 }

public enum FaceCollectionKind { Local, Rekognition }

public enum DirectoryKind { Sqlite, DynamoDb }
