using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Registration;
using FaceLogin.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FaceLogin.Tests.Aws;

/// <summary>
/// Two registration services on one bucket, one set of tables and one face collection: two Lambda invocations (or the app
/// and an import) registering photos of the same person at once. Each has its own write gate, as separate processes do.
/// </summary>
[Collection(AwsServersCollection.Name)]
public sealed class CrossProcessRegistrationTests(S3rverFixture s3rver, DynamoDbLocalFixture dynamoDb)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly TimeSpan PatienceLimit = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Review-4 S3, the reviewer's probe: process B is between indexing photo B and recording it when process A's IndexFaces
    /// answer for photo A is lost. A's undo deletes the faces under the person's id that the directory does not record; it
    /// used to take B's face too, so B reported Registered for a face that no longer existed. Under the person's lease A
    /// waits for B, and its undo takes only its own face.
    /// </summary>
    [Fact]
    public async Task An_undo_in_one_process_leaves_the_face_another_process_is_registering()
    {
        var faces = new FakeFaceCollection();
        await using var aws = await AwsModeServices.StartAsync(s3rver, dynamoDb, faces, Ct);
        var images = aws.Get<IFaceImageStore>();
        var ann = Guid.NewGuid();
        var first = await PutAsync(images, ann, FakeFaceImages.Of("red"));
        Assert.Equal(RegistrationStatus.Registered, (await aws.Get<RegistrationService>().RegisterStoredImageAsync(first, Ct)).Status);

        var (processA, collectionA, directoryA) = Process(aws, faces);
        var (processB, _, directoryB) = Process(aws, faces);
        var photoA = await PutAsync(images, ann, FakeFaceImages.With(new FakeFace("red", new BoundingBox(0.2f, 0.2f, 0.5f, 0.5f))));
        var photoB = await PutAsync(images, ann, FakeFaceImages.With(new FakeFace("red", new BoundingBox(0.3f, 0.25f, 0.45f, 0.5f))));

        using var bIndexed = new ManualResetEventSlim();
        using var releaseB = new ManualResetEventSlim();
        directoryB.OnCall(nameof(IFaceDirectory.AddFaceAsync), () =>
        {
            bIndexed.Set();
            Assert.True(releaseB.Wait(PatienceLimit), "B was never let go");
        });
        collectionA.FailAfter(nameof(IFaceCollection.IndexFaceAsync));

        var b = Task.Run(() => processB.RegisterStoredImageAsync(photoB, Ct), Ct);
        Assert.True(await Task.Run(() => bIndexed.Wait(PatienceLimit), Ct), "B reached its directory write");
        var a = Task.Run(() => processA.RegisterStoredImageAsync(photoA, Ct), Ct);
        await PollUntilAsync(() => a.IsCompleted || directoryA.CallCount(nameof(IFaceDirectory.HoldPersonLeaseAsync)) > 0, "A asks for the person's lease");
        releaseB.Set();
        var (resultA, resultB) = (await a, await b);

        Assert.Equal(RegistrationStatus.Failed, resultA.Status);
        Assert.Equal(RegistrationStatus.Registered, resultB.Status);
        var recorded = await aws.Get<IFaceDirectory>().GetFacesAsync(ann, Ct);
        Assert.Equal(2, recorded.Count);
        Assert.Equal(recorded.Select(f => f.FaceId).Order(StringComparer.Ordinal), faces.FaceIds().Order(StringComparer.Ordinal));
        Assert.Contains(resultB.Face!.FaceId, faces.FaceIds());
    }

    private static (RegistrationService Service, FaultPlan Collection, FaultPlan Directory) Process(AwsModeServices aws, FakeFaceCollection faces)
    {
        var collectionCalls = new FaultPlan();
        var directoryCalls = new FaultPlan();
        var service = ActivatorUtilities.CreateInstance<RegistrationService>(
            aws.Provider,
            FaultInjectingProxy<IFaceCollection>.Wrap(faces, collectionCalls),
            FaultInjectingProxy<IFaceDirectory>.Wrap(aws.Get<IFaceDirectory>(), directoryCalls));
        return (service, collectionCalls, directoryCalls);
    }

    private static async Task<FaceImageKey> PutAsync(IFaceImageStore images, Guid personId, byte[] photo)
    {
        var key = FaceImageKey.New(personId);
        await images.PutAsync(key, photo, new FaceImageMetadata("Ann Smith", personId, "image/jpeg"), Ct);
        return key;
    }

    private static async Task PollUntilAsync(Func<bool> condition, string what)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(PatienceLimit);
        while (!condition())
        {
            Assert.False(limit.IsCancellationRequested, $"Timed out waiting until {what}.");
            await Task.Delay(TimeSpan.FromMilliseconds(20), CancellationToken.None);
        }
    }
}
