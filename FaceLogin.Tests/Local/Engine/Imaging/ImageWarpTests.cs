using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Local.Engine.Imaging;

namespace FaceLogin.Tests.Local.Engine.Imaging;

public sealed class ImageWarpTests
{
    [Fact]
    public void The_identity_warp_copies_the_image()
    {
        var image = Gradient(20, 10);

        var copy = ImageWarp.ToImage(image, Affine2D.Identity, 20, 10);

        // The last row and column have no right/bottom neighbour: dlib leaves them black, so compare the interior.
        for (var y = 0; y < 9; y++)
        {
            for (var x = 0; x < 19; x++)
            {
                Assert.Equal(image.Pixels[(y * 20 + x) * 4], copy.Pixels[(y * 20 + x) * 4]);
            }
        }
    }

    [Fact]
    public void Bilinear_sampling_interpolates_between_pixels()
    {
        var image = new RgbaImage(2, 2, [0, 0, 0, 255, 100, 0, 0, 255, 0, 0, 0, 255, 100, 0, 0, 255]);
        var tensor = new float[3];

        ImageWarp.ToTensor(image, Affine2D.ScaleTranslate(1, 1, 0.25, 0.5), 1, 1, TensorFormat.Nhwc(1, 0, -1), tensor);

        Assert.Equal(25f, tensor[0], 3);
    }

    [Fact]
    public void Tensors_can_be_channels_first_bgr_and_scaled()
    {
        var image = new RgbaImage(1, 1, [10, 20, 30, 255]);
        var tensor = new float[3];

        ImageWarp.ToTensor(image, Affine2D.Identity, 1, 1, new TensorFormat(true, true, 0.5f, [1, 2, 3], 0), tensor);

        Assert.Equal([30 * 0.5f + 1, 20 * 0.5f + 2, 10 * 0.5f + 3], tensor);
    }

    [Fact]
    public void Large_reductions_are_prefiltered_so_fine_stripes_average_to_grey()
    {
        // 1-px black/white stripes shrunk 8×: plain bilinear would land on one colour; the pyramid gives ~127.
        var width = 256;
        var pixels = new byte[width * width * 4];
        for (var i = 0; i < width * width; i++)
        {
            var v = (byte)((i % width) % 2 == 0 ? 0 : 255);
            pixels[i * 4] = pixels[i * 4 + 1] = pixels[i * 4 + 2] = v;
            pixels[i * 4 + 3] = 255;
        }

        var small = ImageWarp.ToImage(new RgbaImage(width, width, pixels), Affine2D.ScaleTranslate(8, 8, 3.5, 3.5), 32, 32);

        Assert.InRange(small.Pixels[(16 * 32 + 16) * 4], 120, 135);
    }

    [Fact]
    public void Affine_maps_compose_and_invert()
    {
        var a = Affine2D.Similarity(2, 0.5, 3, 4);
        var b = Affine2D.ScaleTranslate(1, 3, -1, 2);

        var (x, y) = a.After(b).Apply(1.5, -2);
        var (bx, by) = b.Apply(1.5, -2);
        var (ex, ey) = a.Apply(bx, by);
        Assert.Equal(ex, x, 9);
        Assert.Equal(ey, y, 9);

        var (ix, iy) = a.Inverse().Apply(a.Apply(7, 8).X, a.Apply(7, 8).Y);
        Assert.Equal(7, ix, 9);
        Assert.Equal(8, iy, 9);
    }

    [Fact]
    public void A_crop_maps_its_centre_to_the_given_point_and_its_corners_to_the_rotated_square()
    {
        var crop = new CropGeometry(new FacePoint(100, 50), 40, Math.PI / 2, 8);

        var centre = crop.ToImage(4, 4);
        Assert.Equal(100, centre.X, 4);
        Assert.Equal(50, centre.Y, 4);
        // Rotated a quarter turn: the crop's top-left corner lands at the image's top-right of the square.
        var corner = crop.ToImage(0, 0);
        Assert.Equal(120, corner.X, 4);
        Assert.Equal(30, corner.Y, 4);
    }

    private static RgbaImage Gradient(int width, int height)
    {
        var pixels = new byte[width * height * 4];
        for (var i = 0; i < width * height; i++)
        {
            pixels[i * 4] = (byte)(i * 7 % 256);
            pixels[i * 4 + 3] = 255;
        }

        return new RgbaImage(width, height, pixels);
    }
}
