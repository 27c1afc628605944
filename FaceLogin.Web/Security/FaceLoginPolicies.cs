namespace FaceLogin.Web.Security;

/// <summary>Authorization policy names.</summary>
public static class FaceLoginPolicies
{
    /// <summary>Admins only: the first person to sign up, the person ids in <c>FaceLogin:Admins</c>, and promoted people.</summary>
    public const string Admin = "Admin";
}
