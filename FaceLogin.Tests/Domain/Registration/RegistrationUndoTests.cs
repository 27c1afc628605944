using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Registration;
using FaceLogin.Tests.Support;
using Microsoft.Extensions.Logging;

namespace FaceLogin.Tests.Domain.Registration;

/// <summary>
/// Makes each port fail at each step of a sign-up, before its work or after it (a lost answer), and proves that nothing of
/// the failed sign-up is left anywhere and that a person registered earlier is intact and can still sign in.
/// </summary>
public sealed class RegistrationUndoTests : IDisposable
{
    private readonly DomainHarness harness = new();

    private CancellationToken Cancellation => harness.Cancellation;

    public void Dispose() => harness.Dispose();

    public static TheoryData<string, string, bool> Steps => new()
    {
        { nameof(IFaceCollection), nameof(IFaceCollection.DetectFacesAsync), false },
        { nameof(IFaceCollection), nameof(IFaceCollection.SearchFacesByImageAsync), false },
        { nameof(IFaceImageStore), nameof(IFaceImageStore.PutAsync), false },
        { nameof(IFaceImageStore), nameof(IFaceImageStore.PutAsync), true },
        { nameof(IFaceCollection), nameof(IFaceCollection.IndexFaceAsync), false },
        { nameof(IFaceCollection), nameof(IFaceCollection.IndexFaceAsync), true },
        { nameof(IFaceDirectory), nameof(IFaceDirectory.AddPersonAdminIfFirstAsync), false },
        { nameof(IFaceDirectory), nameof(IFaceDirectory.AddPersonAdminIfFirstAsync), true },
    };

    [Theory]
    [MemberData(nameof(Steps))]
    public async Task A_failing_step_leaves_nothing_behind_and_loses_nothing(string port, string method, bool afterItsWork)
    {
        var earlier = await harness.RegisterAsync("Earlier Person", FakeFaceImages.Of("earlier"));
        var before = await harness.SnapshotAsync();
        var plan = PlanFor(port);
        var callsBefore = plan.CallCount(method);
        if (afterItsWork)
        {
            plan.FailAfter(method);
        }
        else
        {
            plan.FailBefore(method);
        }

        var result = await harness.Registration.RegisterAsync(new RegistrationRequest("New Person", true, FakeFaceImages.Of("new")), Cancellation);

        Assert.Equal(RegistrationStatus.Failed, result.Status);
        Assert.Equal(RegistrationService.FailedMessage, result.Message);
        Assert.Equal(callsBefore + 1, plan.CallCount(method));
        (await harness.SnapshotAsync()).AssertSameAs(before);
        Assert.DoesNotContain(harness.Logs.Lines, l => l.Text.Contains("Could not undo", StringComparison.Ordinal));

        plan.Clear();
        var signIn = await harness.SignInAsync(FakeFaceImages.Of("earlier"));
        Assert.True(signIn.Succeeded);
        Assert.Equal(earlier.Person.Id, signIn.Person!.Id);
        Assert.Equal(earlier.Person with { LastSignInAt = harness.Time.GetUtcNow() }, await harness.Directory.GetPersonAsync(earlier.Person.Id, Cancellation));

        // Nothing half-done blocks a retry.
        Assert.True((await harness.Registration.RegisterAsync(new RegistrationRequest("New Person", true, FakeFaceImages.Of("new")), Cancellation)).Succeeded);
    }

    [Fact]
    public async Task A_failing_undo_is_logged_with_what_is_left_and_the_other_undos_still_run()
    {
        harness.DirectoryFaults.FailBefore(nameof(IFaceDirectory.AddPersonAdminIfFirstAsync));
        harness.ImageFaults.FailBefore(nameof(IFaceImageStore.DeleteAsync));

        var result = await harness.Registration.RegisterAsync(new RegistrationRequest("New Person", true, FakeFaceImages.Of("new")), Cancellation);

        Assert.Equal(RegistrationStatus.Failed, result.Status);
        var state = await harness.SnapshotAsync();
        Assert.Empty(state.CollectionFaces);
        Assert.Empty(state.People);
        var leftover = Assert.Single(harness.Logs.Lines, l => l.Level == LogLevel.Error && l.Text.StartsWith("Could not undo", StringComparison.Ordinal));
        var imageFile = state.ImageFiles.Single(f => f.EndsWith(".jpg", StringComparison.Ordinal));
        Assert.Contains(imageFile, leftover.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(IFaceCollection), nameof(IFaceCollection.IndexFaceAsync))]
    [InlineData(nameof(IFaceDirectory), nameof(IFaceDirectory.AddPersonAdminIfFirstAsync))]
    public async Task A_cancelled_sign_up_is_undone_and_reported_as_cancelled(string port, string method)
    {
        await harness.RegisterAsync("Earlier Person", FakeFaceImages.Of("earlier"));
        var before = await harness.SnapshotAsync();
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        PlanFor(port).OnCall(method, cancellation.Cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            harness.Registration.RegisterAsync(new RegistrationRequest("New Person", true, FakeFaceImages.Of("new")), cancellation.Token));

        (await harness.SnapshotAsync()).AssertSameAs(before);
    }

    private FaultPlan PlanFor(string port) => port switch
    {
        nameof(IFaceCollection) => harness.CollectionFaults,
        nameof(IFaceImageStore) => harness.ImageFaults,
        nameof(IFaceDirectory) => harness.DirectoryFaults,
        _ => throw new ArgumentOutOfRangeException(nameof(port)),
    };
}
