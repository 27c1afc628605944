using System.Globalization;
using System.Text;
using System.Text.Json;

namespace FaceLogin.Domain.Local.Engine.Import;

/// <summary>
/// A node's <c>attr</c> map as the TF.js converter writes it: strings base64-encoded, integers as strings,
/// lists under <c>list.i</c> / <c>list.s</c>. Missing attributes fall back to TensorFlow's defaults.
/// </summary>
internal sealed class TfjsNodeAttributes(JsonElement attr)
{
    public bool Has(string name) => attr.ValueKind == JsonValueKind.Object && attr.TryGetProperty(name, out _);

    public string? String(string name) =>
        TryGet(name, out var value) && value.TryGetProperty("s", out var s) ? Decode(s) : null;

    public long? Int(string name) =>
        TryGet(name, out var value) && value.TryGetProperty("i", out var i) ? ParseLong(i) : null;

    public float? Float(string name) =>
        TryGet(name, out var value) && value.TryGetProperty("f", out var f) ? f.GetSingle() : null;

    public bool? Bool(string name) =>
        TryGet(name, out var value) && value.TryGetProperty("b", out var b) ? b.GetBoolean() : null;

    public long[] Ints(string name) =>
        TryGet(name, out var value) && value.TryGetProperty("list", out var list) && list.TryGetProperty("i", out var items)
            ? items.EnumerateArray().Select(ParseLong).ToArray()
            : [];

    public string[] Strings(string name) =>
        TryGet(name, out var value) && value.TryGetProperty("list", out var list) && list.TryGetProperty("s", out var items)
            ? items.EnumerateArray().Select(Decode).ToArray()
            : [];

    /// <summary>A Placeholder's <c>shape.shape.dim[].size</c>; -1 marks a dynamic dimension.</summary>
    public int[] RawShapeDims() =>
        TryGet("shape", out var value) && value.TryGetProperty("shape", out var shape) && shape.TryGetProperty("dim", out var dims)
            ? dims.EnumerateArray().Select(d => d.TryGetProperty("size", out var size) ? (int)ParseLong(size) : -1).ToArray()
            : [];

    private bool TryGet(string name, out JsonElement value)
    {
        value = default;
        return attr.ValueKind == JsonValueKind.Object && attr.TryGetProperty(name, out value);
    }

    private static string Decode(JsonElement base64) => Encoding.UTF8.GetString(Convert.FromBase64String(base64.GetString() ?? ""));

    private static long ParseLong(JsonElement number) =>
        number.ValueKind == JsonValueKind.Number ? number.GetInt64() : long.Parse(number.GetString()!, CultureInfo.InvariantCulture);
}
