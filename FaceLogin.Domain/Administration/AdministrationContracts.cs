using FaceLogin.Domain.Ports;

namespace FaceLogin.Domain.Administration;

/// <summary>A person as the admin page and the account page show them.</summary>
public sealed record PersonView(Person Person, bool IsAdmin, int FaceCount, IReadOnlyList<RegisteredFace> Faces);

/// <summary>A stored face image cut to the face, for thumbnails; JPEG bytes.</summary>
public sealed record FaceThumbnail(byte[] Jpeg);
