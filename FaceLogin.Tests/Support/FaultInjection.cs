using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.ExceptionServices;

namespace FaceLogin.Tests.Support;

/// <summary>The exception a <see cref="FaultPlan"/> throws, so tests can tell an injected failure from a real one.</summary>
public sealed class InjectedFaultException(string message) : Exception(message);

/// <summary>
/// Which calls of a port fail, and how: <see cref="FailBefore"/> throws without calling the real adapter (nothing written);
/// <see cref="FailAfter"/> lets the real adapter do its work and then throws (written, but the caller never hears so: a lost
/// response). Also records every call, and can run a hook when a method is called (e.g. to cancel the request).
/// </summary>
public sealed class FaultPlan
{
    private readonly ConcurrentDictionary<string, Fault> faults = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Action> hooks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> callCounts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> calls = new();

    public IReadOnlyList<string> Calls => calls.ToArray();

    public int CallCount(string method) => callCounts.GetValueOrDefault(method);

    /// <param name="onCall">1-based number of the call that fails; 0 fails every call.</param>
    public FaultPlan FailBefore(string method, int onCall = 0) => Add(method, new Fault(FaultTiming.Before, onCall));

    /// <inheritdoc cref="FailBefore"/>
    public FaultPlan FailAfter(string method, int onCall = 0) => Add(method, new Fault(FaultTiming.After, onCall));

    public FaultPlan OnCall(string method, Action hook)
    {
        hooks[method] = hook;
        return this;
    }

    public void Clear()
    {
        faults.Clear();
        hooks.Clear();
    }

    internal (FaultTiming? Timing, Exception Exception) Enter(string typeName, string method)
    {
        calls.Enqueue(method);
        var number = callCounts.AddOrUpdate(method, 1, (_, n) => n + 1);
        if (hooks.TryGetValue(method, out var hook))
        {
            hook();
        }

        var exception = new InjectedFaultException($"Injected fault in {typeName}.{method} (call {number}).");
        return faults.TryGetValue(method, out var fault) && (fault.OnCall == 0 || fault.OnCall == number)
            ? (fault.Timing, exception)
            : (null, exception);
    }

    private FaultPlan Add(string method, Fault fault)
    {
        faults[method] = fault;
        return this;
    }

    internal enum FaultTiming { Before, After }

    private sealed record Fault(FaultTiming Timing, int OnCall);
}

/// <summary>Wraps any port (an interface) around a real adapter and applies a <see cref="FaultPlan"/> to its calls.</summary>
public class FaultInjectingProxy<T> : DispatchProxy
    where T : class
{
    private static readonly MethodInfo FailedTaskOfT = typeof(FaultInjectingProxy<T>).GetMethod(nameof(FailedTask), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo ThenFailOfT = typeof(FaultInjectingProxy<T>).GetMethod(nameof(ThenFail), BindingFlags.NonPublic | BindingFlags.Static)!;

    private T inner = null!;
    private FaultPlan plan = null!;

    public static T Wrap(T inner, FaultPlan plan)
    {
        var proxy = Create<T, FaultInjectingProxy<T>>();
        var self = (FaultInjectingProxy<T>)(object)proxy;
        self.inner = inner;
        self.plan = plan;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        var (timing, exception) = plan.Enter(typeof(T).Name, targetMethod.Name);
        var returnType = targetMethod.ReturnType;
        if (timing == FaultPlan.FaultTiming.Before)
        {
            if (returnType == typeof(Task))
            {
                return Task.FromException(exception);
            }

            if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>))
            {
                return FailedTaskOfT.MakeGenericMethod(returnType.GetGenericArguments()[0]).Invoke(null, [exception]);
            }

            throw exception;
        }

        object? result;
        try
        {
            result = targetMethod.Invoke(inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }

        if (timing != FaultPlan.FaultTiming.After)
        {
            return result;
        }

        if (returnType == typeof(Task))
        {
            return ThenFailVoid((Task)result!, exception);
        }

        if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>))
        {
            return ThenFailOfT.MakeGenericMethod(returnType.GetGenericArguments()[0]).Invoke(null, [result, exception]);
        }

        throw exception;
    }

    private static Task<TResult> FailedTask<TResult>(Exception exception) => Task.FromException<TResult>(exception);

    private static async Task<TResult> ThenFail<TResult>(Task<TResult> work, Exception exception)
    {
        await work;
        throw exception;
    }

    private static async Task ThenFailVoid(Task work, Exception exception)
    {
        await work;
        throw exception;
    }
}
