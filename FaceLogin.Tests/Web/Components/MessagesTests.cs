using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Registration;
using FaceLogin.Web.Components.Camera;
using FaceLogin.Web.Messages;

namespace FaceLogin.Tests.Web.Components;

/// <summary>Every status a person can meet has its own message: two different problems never read the same.</summary>
public sealed class MessagesTests
{
    [Fact]
    public void Every_registration_status_has_its_own_message()
    {
        var messages = Enum.GetValues<RegistrationStatus>()
            .ToDictionary(s => s, s => RegistrationMessages.For(new RegistrationResult(s, "from the service")));

        Assert.All(messages.Values, m => Assert.False(string.IsNullOrWhiteSpace(m)));
        Assert.Equal(messages.Count, messages.Values.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Poor_quality_says_what_to_fix()
    {
        var result = new RegistrationResult(
            RegistrationStatus.PoorQuality, "", Reasons: [UnindexedReason.LowBrightness, UnindexedReason.SmallBoundingBox]);

        var message = RegistrationMessages.For(result);

        Assert.Contains("too dark", message, StringComparison.Ordinal);
        Assert.Contains("come closer", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_photo_too_large_is_told_apart_from_an_unreadable_one()
    {
        var tooLarge = RegistrationMessages.For(new RegistrationResult(RegistrationStatus.BadImage, "", ImageProblem: ImageProblem.TooLarge));
        var corrupt = RegistrationMessages.For(new RegistrationResult(RegistrationStatus.BadImage, "", ImageProblem: ImageProblem.Corrupt));

        Assert.Contains("too large", tooLarge, StringComparison.Ordinal);
        Assert.Contains("could not be read", corrupt, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_sign_in_outcome_has_its_own_message()
    {
        var messages = Enum.GetValues<LoginOutcome>().Select(SignInMessages.For).ToList();

        Assert.Equal(messages.Count, messages.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Every_camera_problem_has_its_own_message_and_the_script_gets_them_all()
    {
        var problems = Enum.GetValues<CameraStatus>().Where(s => s != CameraStatus.Live).ToList();

        Assert.Equal(problems.Count, problems.Select(CameraMessages.For).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(problems.Select(p => p.ToString()).Order(), CameraMessages.ForScript().Keys.Order());
    }
}
