using Microsoft.ML.OnnxRuntime;

namespace FaceLogin.Domain.Local.Engine.Onnx;

/// <summary>
/// One ONNX Runtime session with a single float input, and the layout facts the pre-processing needs.
/// <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>
/// is thread-safe, so one instance serves every request.
/// </summary>
internal sealed class OnnxModel : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly long[] _inputShape;

    public OnnxModel(string modelPath, OnnxRuntimeOptions runtime)
    {
        if (!File.Exists(modelPath))
        {
            throw new FileNotFoundException(
                $"The ONNX model {modelPath} does not exist. Build the solution (npm fetches and converts the models) or fix FaceLogin:Engine in the configuration.",
                modelPath);
        }

        using var options = new SessionOptions
        {
            IntraOpNumThreads = runtime.IntraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", runtime.AllowSpinning ? "1" : "0");
        _session = new InferenceSession(modelPath, options);
        var input = _session.InputMetadata.Single();
        _inputNames = [input.Key];
        // A dynamic batch dimension (-1) runs with a batch of one.
        _inputShape = [.. input.Value.Dimensions.Select(d => d < 0 ? 1L : d)];
        SupportsBatch = input.Value.Dimensions.Length > 0 && input.Value.Dimensions[0] < 0;
        OutputNames = [.. _session.OutputMetadata.Keys];
        Path = modelPath;
    }

    public string Path { get; }

    public IReadOnlyList<long> InputShape => _inputShape;

    public IReadOnlyList<string> OutputNames { get; }

    /// <summary>True when the first input dimension is free, so several images can go in one run.</summary>
    public bool SupportsBatch { get; }

    /// <summary>Values in one batch item of the input.</summary>
    public int InputLength => (int)_inputShape.Aggregate(1L, (a, b) => a * b);

    /// <summary>True when the input is [N, 3, H, W]; false for TF.js-style [N, H, W, 3].</summary>
    public bool ChannelsFirst => _inputShape.Length == 4 && _inputShape[1] == 3 && _inputShape[3] != 3;

    /// <summary>Height and width of an image input.</summary>
    public (int Height, int Width) ImageSize => ChannelsFirst
        ? ((int)_inputShape[2], (int)_inputShape[3])
        : ((int)_inputShape[1], (int)_inputShape[2]);

    /// <summary>A pooled input buffer for <paramref name="batch"/> items: the 256 px detector input alone is 768 KB, too big to allocate per image.</summary>
    public PooledTensor RentInput(int batch = 1) => new(InputLength * batch);

    public float[][] Run(float[] input, int batch = 1) => Run(input.AsMemory(), batch);

    public float[][] Run(PooledTensor input, int batch = 1) => Run(input.Memory, batch);

    /// <summary>Runs the model on one input tensor; returns every output, in <see cref="OutputNames"/> order, copied out.</summary>
    public float[][] Run(Memory<float> input, int batch = 1)
    {
        if (input.Length != InputLength * batch || (batch != 1 && !SupportsBatch))
        {
            throw new ArgumentException($"The model takes {InputLength} values per item (batch {(SupportsBatch ? "free" : "1")}), got {input.Length} for {batch}.", nameof(input));
        }

        var shape = (long[])_inputShape.Clone();
        shape[0] = batch;
        using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input, shape);
        using var runOptions = new RunOptions();
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        using var outputs = _session.Run(runOptions, _inputNames, [value], OutputNames as IReadOnlyCollection<string> ?? [.. OutputNames]);
        InferenceClock.Add(start);
        var result = new float[outputs.Count][];
        var i = 0;
        foreach (var output in outputs)
        {
            result[i++] = output.GetTensorDataAsSpan<float>().ToArray();
        }

        return result;
    }

    public void Dispose() => _session.Dispose();
}

/// <summary>An input buffer rented from the shared pool and returned on dispose.</summary>
internal sealed class PooledTensor(int length) : IDisposable
{
    private float[]? _array = System.Buffers.ArrayPool<float>.Shared.Rent(length);

    public int Length => length;

    public Span<float> Span => Array.AsSpan(0, length);

    public Memory<float> Memory => Array.AsMemory(0, length);

    private float[] Array => _array ?? throw new ObjectDisposedException(nameof(PooledTensor));

    public void Dispose()
    {
        if (_array is { } array)
        {
            _array = null;
            System.Buffers.ArrayPool<float>.Shared.Return(array);
        }
    }
}
