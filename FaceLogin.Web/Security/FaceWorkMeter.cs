using FaceLogin.Domain.Faces.Cost;
using Microsoft.Extensions.Options;

namespace FaceLogin.Web.Security;

/// <summary>
/// Face work per client address, priced per image before anything is decoded and charged whatever the answer turns out to be
/// ("no face", a bad image and a refusal cost the sender as much as a match): at most
/// <see cref="FaceLoginWebOptions.FaceWorkUnitLimit"/> units in any <see cref="FaceLoginWebOptions.FaceWorkWindowSeconds"/>
/// span, shared by sign-in and sign-up. An image costs one unit per started megapixel its header declares, up to what its door
/// decodes at most (a 640×480 camera frame 1, a 4 MP photo 4; one over the door's pixel budget, refused from its header, no
/// more than that; unreadable bytes 1): roughly what decoding it can cost. A cheap, in-memory limit on work, kept apart
/// from the lock-out (which counts failed face questions, in the directory). Singleton: one count per process.
/// </summary>
public sealed class FaceWorkMeter(IOptions<FaceLoginWebOptions> options, IOptions<ImageBudgetOptions> imageBudgets, TimeProvider time)
{
    public const string Message = "Too many photos from your network in a short time. Please wait a little, then try again.";

    private const long PixelsPerUnit = 1_000_000;

    private readonly AddressSlidingLog _spent = new();
    private readonly Lock _lock = new();

    /// <summary>The units an image costs at a door that decodes at most <paramref name="maxPixels"/>, from its header alone.</summary>
    public static int CostOf(ReadOnlySpan<byte> image, long maxPixels) => UnitsFor(PixelsOf(image, maxPixels));

    /// <summary>
    /// The units a burst's frames cost together: their pixels summed, then priced like one image of that many (fourteen
    /// 480×360 frames, 2.4 MP, cost 3 units, not 14), since decoding them costs what decoding their pixels costs.
    /// </summary>
    public static int CostOf(IReadOnlyList<ReadOnlyMemory<byte>> frames, long maxPixels) =>
        UnitsFor(frames.Sum(frame => PixelsOf(frame.Span, maxPixels)));

    /// <summary>
    /// Charges the image, as priced at <paramref name="door"/>, to the address when its budget has room; otherwise charges
    /// nothing and says when to come back.
    /// </summary>
    public bool TryCharge(string clientAddress, ImageDoor door, ReadOnlySpan<byte> image, out TimeSpan retryAfter) =>
        TryChargeUnits(clientAddress, CostOf(image, imageBudgets.Value.For(door).MaxPixels), out retryAfter);

    /// <summary>Charges a burst's frames together (<see cref="CostOf(IReadOnlyList{ReadOnlyMemory{byte}}, long)"/>), as one image is.</summary>
    public bool TryCharge(string clientAddress, ImageDoor door, IReadOnlyList<ReadOnlyMemory<byte>> frames, out TimeSpan retryAfter) =>
        TryChargeUnits(clientAddress, CostOf(frames, imageBudgets.Value.For(door).MaxPixels), out retryAfter);

    /// <summary>An unreadable image is priced as a megapixel (what the decoder's refusal of it may cost).</summary>
    private static long PixelsOf(ReadOnlySpan<byte> image, long maxPixels) =>
        ImageHeader.TryRead(image) is { } header ? Math.Min(header.Pixels, maxPixels) : PixelsPerUnit;

    private static int UnitsFor(long pixels) => (int)Math.Max(1, (pixels + PixelsPerUnit - 1) / PixelsPerUnit);

    private bool TryChargeUnits(string clientAddress, int cost, out TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(clientAddress);
        var settings = options.Value;
        lock (_lock)
        {
            return _spent.TryAdd(
                clientAddress, cost, settings.FaceWorkUnitLimit, time.GetUtcNow(), TimeSpan.FromSeconds(settings.FaceWorkWindowSeconds), out retryAfter);
        }
    }
}

