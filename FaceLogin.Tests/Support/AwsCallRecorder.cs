using System.Collections.Concurrent;
using Amazon.Runtime;

namespace FaceLogin.Tests.Support;

/// <summary>
/// Records every request the AWS SDK clients it is attached to are about to send (the typed request, on each attempt),
/// while <see cref="Recording"/> is on and the current flow is not inside <see cref="Pause"/>. Used to check the IAM
/// policies against what the code really calls.
/// </summary>
public sealed class AwsCallRecorder
{
    private static readonly AsyncLocal<bool> Paused = new();
    private readonly ConcurrentQueue<AmazonWebServiceRequest> requests = new();

    public bool Recording { get; set; }

    public IReadOnlyList<AmazonWebServiceRequest> Requests => requests.ToArray();

    public T Attach<T>(T client)
        where T : class
    {
        ((AmazonServiceClient)(object)client).BeforeRequestEvent += (_, e) =>
        {
            if (Recording && !Paused.Value && e is WebServiceRequestEventArgs sent)
            {
                requests.Enqueue(sent.Request);
            }
        };
        return client;
    }

    /// <summary>Calls made by the test itself (setting up a situation) while this is not disposed are not recorded.</summary>
    public static IDisposable Pause()
    {
        Paused.Value = true;
        return new Resume();
    }

    private sealed class Resume : IDisposable
    {
        public void Dispose() => Paused.Value = false;
    }
}
