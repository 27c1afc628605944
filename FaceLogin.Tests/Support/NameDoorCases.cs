using FaceLogin.Domain.Registration;

namespace FaceLogin.Tests.Support;

/// <summary>
/// Names as people type them, with what every door that takes a name must answer (sign-up page, import, the S3-upload
/// function): the name as stored (NFC, spaces made plain) or the refusal's message. Each door's tests run all of them.
/// </summary>
public static class NameDoorCases
{
    public static TheoryData<string, string?, string?> All => new()
    {
        { "Zoe\u0301 Smith", "Zo\u00E9 Smith", null },
        { "Ada\u00A0Lovelace", "Ada Lovelace", null },
        { "Ada\u200BLovelace", null, PersonName.InvisibleCharactersMessage },
        { "Ada\u200FLovelace", null, PersonName.InvisibleCharactersMessage },
        { "Ada\u202ELovelace", null, PersonName.InvalidCharactersMessage },
        { new string('a', PersonName.MaxLength + 1), null, PersonName.TooLongMessage },
    };
}
