using FaceLogin.Tests.Support;

namespace FaceLogin.Tests.Web;

/// <summary>
/// The people the web tests sign up and sign in, as photos from lfw-dev (read at run time, never copied into the repository).
/// A has two different photos (one to register, one to sign in with); B is someone else, never registered; C is a second
/// person to register. Chosen with wide margins on the local engine (cosine of the embeddings, measured 2026-11-27):
/// A's two photos 0.979; B against A 0.74 (his photo 0001 also shows a second face, so it is not used); C against A 0.75–0.76 — so the outcomes do not hinge on where the match
/// threshold is calibrated.
/// </summary>
internal static class TestPeople
{
    public static readonly TestPerson A = new("Karen Mok", "Karen_Mok/Karen_Mok_0001.jpg", "Karen_Mok/Karen_Mok_0002.jpg");

    public static readonly TestPerson B = new("Marc Grossman", "Marc_Grossman/Marc_Grossman_0002.jpg", "Marc_Grossman/Marc_Grossman_0002.jpg");

    public static readonly TestPerson C = new("Dennis Erickson", "Dennis_Erickson/Dennis_Erickson_0001.jpg", "Dennis_Erickson/Dennis_Erickson_0001.jpg");

    /// <summary>The file's path, skipping (or failing in CI) when the dataset is not there.</summary>
    public static string PathOf(string relative) => Path.Combine(TestEnvironment.RequireDataset(), relative);

    public static byte[] Read(string relative) => File.ReadAllBytes(PathOf(relative));
}

/// <param name="RegistrationPhoto">Dataset-relative path of the photo used to sign up.</param>
/// <param name="SignInPhoto">Another photo of the same person, used to sign in.</param>
internal sealed record TestPerson(string FullName, string RegistrationPhoto, string SignInPhoto);
