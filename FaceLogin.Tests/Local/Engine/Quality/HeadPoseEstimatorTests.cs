using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine.Alignment;
using FaceLogin.Domain.Local.Engine.Quality;

namespace FaceLogin.Tests.Local.Engine.Quality;

public sealed class HeadPoseEstimatorTests
{
    [Fact]
    public void Dlibs_mean_face_is_frontal()
    {
        var shape = new FaceShape([.. Enumerable.Range(0, 68).Select(i => i < 17 ? default : DlibFaceChip.TemplatePoint(i, 300, 0.25))]);

        var pose = HeadPoseEstimator.Estimate(shape);

        Assert.InRange(pose.Yaw, -3, 3);
        Assert.InRange(pose.Pitch, -3, 3);
        Assert.InRange(pose.Roll, -1, 1);
    }

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(30, 0, 0)]
    [InlineData(-45, 0, 0)]
    [InlineData(0, 20, 0)]
    [InlineData(0, -25, 0)]
    [InlineData(0, 0, 35)]
    [InlineData(20, -10, -15)]
    [InlineData(-40, -20, 20)]
    [InlineData(30, 25, 10)]
    public void A_head_model_turned_by_known_angles_is_read_back(float yaw, float pitch, float roll)
    {
        // The estimator's own average head (eye distance 1), rotated in 3-D and projected orthographically: the fit must
        // read the angles back exactly, whatever their combination.
        var eyeLeft = Project(-0.5, 0, 0, yaw, pitch, roll);
        var eyeRight = Project(0.5, 0, 0, yaw, pitch, roll);
        var drop = HeadPoseEstimator.MouthDropPerEyeDistance;
        var nose = Project(0, HeadPoseEstimator.FrontalNoseRatio * drop, HeadPoseEstimator.NoseDepthPerEyeDistance, yaw, pitch, roll);
        var mouth = Project(0, drop, 0, yaw, pitch, roll);

        var pose = HeadPoseEstimator.Estimate(eyeLeft, eyeRight, nose, mouth);

        Assert.Equal(yaw, pose.Yaw, 0.01f);
        Assert.Equal(pitch, pose.Pitch, 0.01f);
        Assert.Equal(roll, pose.Roll, 0.01f);
    }

    [Fact]
    public void Keypoints_of_an_upside_down_face_read_as_extreme_pitch()
    {
        var pose = HeadPoseEstimator.Estimate(new FacePoint(60, 100), new FacePoint(40, 100), new FacePoint(50, 80), new FacePoint(50, 50));

        Assert.True(Math.Abs(pose.Pitch) >= 80 || Math.Abs(pose.Roll) >= 170);
    }

    private static FacePoint Project(double x, double y, double z, double yawDegrees, double pitchDegrees, double rollDegrees)
    {
        // Image axes: x right, y down, z towards the camera. Yaw turns the nose to the image's right; pitch up lifts it.
        var yaw = yawDegrees * Math.PI / 180;
        var pitch = pitchDegrees * Math.PI / 180;
        var roll = rollDegrees * Math.PI / 180;
        var x1 = x * Math.Cos(yaw) + z * Math.Sin(yaw);
        var z1 = -x * Math.Sin(yaw) + z * Math.Cos(yaw);
        var y2 = y * Math.Cos(pitch) - z1 * Math.Sin(pitch);
        var x3 = x1 * Math.Cos(roll) - y2 * Math.Sin(roll);
        var y3 = x1 * Math.Sin(roll) + y2 * Math.Cos(roll);
        return new FacePoint((float)(100 + 80 * x3), (float)(100 + 80 * y3));
    }
}
