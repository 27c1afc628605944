using System.Reflection;
using FaceLogin.Domain.Ports;

namespace FaceLogin.Tests.Web.Endpoints;

/// <summary>The real directory, with a count of person look-ups: how a test sees what each request costs the store.</summary>
internal sealed class CountingDirectory
{
    private int _personLookups;

    public int PersonLookups => Volatile.Read(ref _personLookups);

    public void Reset() => Interlocked.Exchange(ref _personLookups, 0);

    public IFaceDirectory Wrap(IFaceDirectory inner)
    {
        var proxy = DispatchProxy.Create<IFaceDirectory, Proxy>();
        ((Proxy)(object)proxy).Inner = inner;
        ((Proxy)(object)proxy).Counter = this;
        return proxy;
    }

    private void Counted() => Interlocked.Increment(ref _personLookups);

    /// <summary>Public with a parameterless constructor: what DispatchProxy needs.</summary>
    public class Proxy : DispatchProxy
    {
        internal IFaceDirectory Inner { get; set; } = default!;

        internal CountingDirectory Counter { get; set; } = default!;

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (targetMethod.Name == nameof(IFaceDirectory.GetPersonAsync))
            {
                Counter.Counted();
            }

            try
            {
                return targetMethod.Invoke(Inner, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
                throw;
            }
        }
    }
}
