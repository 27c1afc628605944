using System.Buffers.Binary;
using System.Text.Json;

namespace FaceLogin.Domain.Local.Engine.Import;

/// <summary>
/// Reads a TF.js weights manifest and its .bin shards into named tensors.
/// Each group's shards are concatenated in the order of its <c>paths</c>, and the weights lie in that buffer
/// in the manifest's order (not the graph's). Quantised entries are expanded here so nothing downstream
/// needs to know: <c>float16</c> are IEEE halves (2 bytes each, although <c>dtype</c> says float32),
/// <c>uint8</c>/<c>uint16</c> are affine: value = q × scale + min.
/// </summary>
internal sealed class TfjsWeightsReader
{
    /// <param name="manifest">The <c>weightsManifest</c> array (model.json) or a face-api <c>*-weights_manifest.json</c> root.</param>
    /// <param name="directory">Where the shards named in <c>paths</c> live.</param>
    public IReadOnlyDictionary<string, TfjsTensor> Read(JsonElement manifest, string directory)
    {
        var tensors = new Dictionary<string, TfjsTensor>(StringComparer.Ordinal);
        foreach (var group in manifest.EnumerateArray())
        {
            var buffer = ConcatenateShards(group.GetProperty("paths"), directory);
            var offset = 0;
            foreach (var weight in group.GetProperty("weights").EnumerateArray())
            {
                var tensor = ReadOne(weight, buffer, ref offset);
                tensors[tensor.Name] = tensor;
            }

            if (offset != buffer.Length)
            {
                throw new InvalidDataException($"Weights manifest covers {offset} bytes but the shards hold {buffer.Length}.");
            }
        }

        return tensors;
    }

    private static byte[] ConcatenateShards(JsonElement paths, string directory)
    {
        using var all = new MemoryStream();
        foreach (var path in paths.EnumerateArray())
        {
            var file = Path.Combine(directory, path.GetString() ?? throw new InvalidDataException("Empty shard path."));
            using var shard = File.OpenRead(file);
            shard.CopyTo(all);
        }

        return all.ToArray();
    }

    private static TfjsTensor ReadOne(JsonElement weight, byte[] buffer, ref int offset)
    {
        var name = weight.GetProperty("name").GetString() ?? throw new InvalidDataException("Weight without a name.");
        var shape = weight.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
        var count = shape.Aggregate(1, (a, b) => a * b);
        var dtype = weight.GetProperty("dtype").GetString();

        if (weight.TryGetProperty("quantization", out var quantization))
        {
            var floats = Dequantise(name, quantization, buffer, ref offset, count);
            return dtype == "int32"
                ? TfjsTensor.Int(name, shape, floats.Select(f => (int)MathF.Round(f)).ToArray())
                : TfjsTensor.Float(name, shape, floats);
        }

        var span = Slice(name, buffer, ref offset, count * 4);
        switch (dtype)
        {
            case "float32":
                var values = new float[count];
                for (var i = 0; i < count; i++)
                {
                    values[i] = BinaryPrimitives.ReadSingleLittleEndian(span[(i * 4)..]);
                }

                return TfjsTensor.Float(name, shape, values);
            case "int32":
                var ints = new int[count];
                for (var i = 0; i < count; i++)
                {
                    ints[i] = BinaryPrimitives.ReadInt32LittleEndian(span[(i * 4)..]);
                }

                return TfjsTensor.Int(name, shape, ints);
            default:
                throw new NotSupportedException($"Weight '{name}' has dtype '{dtype}', which the importer does not read.");
        }
    }

    private static float[] Dequantise(string name, JsonElement quantization, byte[] buffer, ref int offset, int count)
    {
        var kind = quantization.GetProperty("dtype").GetString();
        var values = new float[count];
        switch (kind)
        {
            case "float16":
            {
                var span = Slice(name, buffer, ref offset, count * 2);
                for (var i = 0; i < count; i++)
                {
                    values[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(span[(i * 2)..]);
                }

                return values;
            }

            case "uint8":
            case "uint16":
            {
                // In double, then rounded once, as TF.js does in JavaScript: the values then match TF.js bit for bit.
                var scale = quantization.GetProperty("scale").GetDouble();
                var min = quantization.GetProperty("min").GetDouble();
                var width = kind == "uint8" ? 1 : 2;
                var span = Slice(name, buffer, ref offset, count * width);
                for (var i = 0; i < count; i++)
                {
                    var q = width == 1 ? span[i] : BinaryPrimitives.ReadUInt16LittleEndian(span[(i * 2)..]);
                    values[i] = (float)((q * scale) + min);
                }

                return values;
            }

            default:
                throw new NotSupportedException($"Weight '{name}' uses quantisation '{kind}', which the importer does not read.");
        }
    }

    private static ReadOnlySpan<byte> Slice(string name, byte[] buffer, ref int offset, int length)
    {
        if (offset + length > buffer.Length)
        {
            throw new InvalidDataException($"Weight '{name}' runs past the end of its shards ({offset + length} > {buffer.Length} bytes).");
        }

        var span = buffer.AsSpan(offset, length);
        offset += length;
        return span;
    }
}
