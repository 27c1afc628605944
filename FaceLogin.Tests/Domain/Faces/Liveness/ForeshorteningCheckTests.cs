using FaceLogin.Domain.Faces.Liveness;

namespace FaceLogin.Tests.Domain.Faces.Liveness;

/// <summary>The yaw read against the foreshortening, on the synthetic head and flat picture of <see cref="PlanarMotionCheckTests"/>.</summary>
public sealed class ForeshorteningCheckTests
{
    private static readonly (double X, double Y, double Z)[] Head = PlanarMotionCheckTests.AverageHead(flat: false);
    private static readonly (double X, double Y, double Z)[] Picture = PlanarMotionCheckTests.AverageHead(flat: true);

    [Theory]
    [InlineData(30)]
    [InlineData(-45)]
    [InlineData(60)]
    public void A_head_read_at_the_angle_it_turned_agrees(double yaw)
    {
        var agreement = ForeshorteningCheck.Agreement(Shape(Head, 0), Shape(Head, yaw), yaw);

        Assert.InRange(agreement, 0.8, 1.3);
    }

    [Theory]
    [InlineData(55, 15)]
    [InlineData(-45, -12)]
    public void A_picture_turned_far_but_read_as_a_small_turn_does_not(double turned, double read)
    {
        Assert.True(ForeshorteningCheck.Agreement(Shape(Picture, 0), Shape(Picture, turned), read) < 0.5);
    }

    [Fact]
    public void A_small_turn_cannot_be_read_and_is_taken_as_agreeing()
    {
        Assert.Equal(double.PositiveInfinity, ForeshorteningCheck.Agreement(Shape(Picture, 0), Shape(Picture, 12), 18));
    }

    private static FaceLogin.Domain.Faces.FaceShape Shape((double X, double Y, double Z)[] points, double yaw) =>
        PlanarMotionCheckTests.Shape(points, yaw, 0, noise: null);
}
