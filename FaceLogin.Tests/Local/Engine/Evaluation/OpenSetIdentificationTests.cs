using FaceLogin.Domain.Local.Engine.Evaluation;

namespace FaceLogin.Tests.Local.Engine.Evaluation;

public sealed class OpenSetIdentificationTests
{
    [Fact]
    public void A_tenth_of_the_identities_are_held_out_as_strangers()
    {
        var images = Enumerable.Range(0, 20).SelectMany(p => new[]
        {
            (new OpenSetIdentification.Sample($"person{p:00}", Unit(p % 7, 0)), true),
            (new OpenSetIdentification.Sample($"person{p:00}", Unit(p % 7, 0.1f)), false),
        });

        var (gallery, mated, nonMated) = OpenSetIdentification.Split(images);

        Assert.Equal(18, gallery.Count);
        Assert.Equal(18, mated.Count);
        Assert.Equal(4, nonMated.Count);
        Assert.Equal(["person09", "person19"], nonMated.Select(s => s.Identity).Distinct());
        Assert.DoesNotContain(gallery, g => g.Identity is "person09" or "person19");
    }

    [Fact]
    public void Rank1_fpir_and_fnir_count_as_nist_defines_them()
    {
        OpenSetIdentification.Sample[] gallery = [new("a", Unit(0, 0)), new("b", Unit(1, 0)), new("c", Unit(2, 0))];
        OpenSetIdentification.Sample[] mated =
        [
            new("a", Unit(0, 0.1f)),   // right, high score
            new("b", Unit(1, 0.9f)),   // right but weak: a miss at a strict threshold
            new("c", Unit(0, 0.05f)),  // wrong person on top
        ];
        OpenSetIdentification.Sample[] nonMated = [new("x", Unit(2, 0.2f)), new("y", Unit(5, 0))];

        var result = OpenSetIdentification.Evaluate(gallery, mated, nonMated, threshold: 0.9f);

        Assert.Equal(2 / 3.0, result.Rank1, 9);
        Assert.Equal(2 / 3.0, result.Fnir, 9);
        Assert.Equal(0.5, result.Fpir, 9);
    }

    /// <summary>A unit vector near axis <paramref name="axis"/> of 8, tipped towards the last axis by <paramref name="tilt"/> radians.</summary>
    private static float[] Unit(int axis, float tilt)
    {
        var v = new float[8];
        v[axis] = MathF.Cos(tilt);
        v[7] += MathF.Sin(tilt);
        return v;
    }
}
