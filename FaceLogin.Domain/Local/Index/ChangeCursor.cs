namespace FaceLogin.Domain.Local.Index;

/// <summary>
/// How far into a collection's history an in-memory index is: the last face row (<c>faces.seq</c>) and the last logged deletion
/// (<c>deleted_faces.seq</c>) it reflects. SQLite has one writer at a time, so both numbers only grow and a row at or below
/// either can never appear later. <see cref="FaceCollectionDatabase.ApplyChangesAsync"/> moves it row by row.
/// </summary>
public sealed class ChangeCursor
{
    public long FaceSeq { get; internal set; }

    public long DeletionSeq { get; internal set; }
}
