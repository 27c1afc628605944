using FaceLogin.Domain.Authentication;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Registration;
using FaceLogin.Web.Components.Camera;
using FaceLogin.Web.Messages;

namespace FaceLogin.Tests.Web.Components;

/// <summary>Every status a person can meet has its own message: two different problems never read the same.</summary>
public sealed class MessagesTests
{
    [Fact]
    public void Every_registration_status_has_its_own_fallback_message()
    {
        var messages = Enum.GetValues<RegistrationStatus>().Select(RegistrationMessages.Fallback).ToList();

        Assert.All(messages, m => Assert.False(string.IsNullOrWhiteSpace(m)));
        Assert.Equal(messages.Count, messages.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void The_services_wording_wins_and_the_fallback_fills_a_gap()
    {
        Assert.Equal("from the service", RegistrationMessages.For(new RegistrationResult(RegistrationStatus.NoFace, "from the service")));
        Assert.Equal(RegistrationMessages.Fallback(RegistrationStatus.Failed), RegistrationMessages.For(new RegistrationResult(RegistrationStatus.Failed, " ")));
        Assert.Equal("said", SignInMessages.For(new AuthenticationResult(LoginOutcome.NoFace, "said")));
        Assert.Equal(SignInMessages.Fallback(LoginOutcome.LockedOut), SignInMessages.For(new AuthenticationResult(LoginOutcome.LockedOut, "")));
    }

    [Fact]
    public void Every_sign_in_outcome_has_its_own_fallback_message()
    {
        var messages = Enum.GetValues<LoginOutcome>().Select(SignInMessages.Fallback).ToList();

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
