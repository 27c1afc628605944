using FaceLogin.Domain.Authentication;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Faces.Cost;
using FaceLogin.Domain.Ports;
using FaceLogin.Domain.Registration;
using FaceLogin.Tests.Support;
using SkiaSharp;

namespace FaceLogin.Tests.Domain.Faces.Cost;

/// <summary>
/// One image budget per door, checked from the header before anything is decoded (issue 9, point 1 and point 3 "Size"): the
/// progressive bomb that passed the old 40 MP gate, the PNG of 40 MP, and each door's message stating that door's own number.
/// </summary>
public sealed class ImageBudgetTests : IDisposable
{
    /// <summary>The probe's bomb: 6300×6300 progressive 4:4:4, ~466 KB when flat; 238 MB of coefficients in libjpeg.</summary>
    private static readonly byte[] ProgressiveBomb = ImageHeaders.Jpeg(6300, 6300, progressive: true, 0x11, 0x11, 0x11);

    private readonly DomainHarness harness = new();

    public void Dispose() => harness.Dispose();

    [Fact]
    public void The_header_gives_size_and_the_coefficient_memory_of_a_progressive_jpeg_after_subsampling()
    {
        var bomb = ImageHeader.TryRead(ProgressiveBomb)!.Value;
        Assert.Equal((6300, 6300, true, 3), (bomb.Width, bomb.Height, bomb.IsProgressive, bomb.Components));
        Assert.Equal(3L * 788 * 788 * 128, bomb.ProgressiveCoefficientBytes);

        // 4:2:0: luma at full size, the two chroma planes at half each way.
        var phone = ImageHeader.TryRead(ImageHeaders.Jpeg(4000, 3000, progressive: true, 0x22, 0x11, 0x11))!.Value;
        Assert.Equal((500L * 375 + 2L * 250 * 188) * 128, phone.ProgressiveCoefficientBytes);

        Assert.Equal(0, ImageHeader.TryRead(ImageHeaders.Jpeg(6300, 6300, progressive: false))!.Value.ProgressiveCoefficientBytes);
        Assert.Equal((7300, 5480, false), ImageHeader.TryRead(ImageHeaders.Png(7300, 5480)) is { } png ? (png.Width, png.Height, png.IsJpeg) : default);
        Assert.Null(ImageHeader.TryRead("not an image"u8));
    }

    [Fact]
    public void The_header_of_a_real_encoded_jpeg_is_read_as_the_codec_reads_it()
    {
        using var bitmap = new SKBitmap(640, 480);
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 80);

        var header = ImageHeader.TryRead(data.ToArray())!.Value;

        Assert.Equal((640, 480, true, false), (header.Width, header.Height, header.IsJpeg, header.IsProgressive));
    }

    [Fact]
    public void The_operator_doors_refuse_the_progressive_bomb_that_passes_their_pixel_limit_and_take_a_baseline_file_of_that_size()
    {
        var import = new ImageBudgetOptions().Import;
        Assert.True(6300L * 6300 <= import.MaxPixels);

        var refused = Assert.Throws<FaceImageRejectedException>(() => import.Check(ProgressiveBomb));

        Assert.Equal(ImageProblem.TooManyPixels, refused.Problem);
        Assert.Equal(FaceFeedback.ProgressiveTooLarge(6300, 6300), FaceFeedback.ForRejection(refused));
        Assert.NotNull(import.Check(ImageHeaders.Jpeg(6300, 6300, progressive: false)));
        Assert.NotNull(import.Check(ImageHeaders.Jpeg(4000, 3000, progressive: true, 0x22, 0x11, 0x11)));
    }

    [Fact]
    public void The_camera_doors_refuse_anything_over_four_megapixels_and_say_so()
    {
        var signIn = new ImageBudgetOptions().SignIn;

        var png = Assert.Throws<FaceImageRejectedException>(() => signIn.Check(ImageHeaders.Png(7300, 5480)));
        var bomb = Assert.Throws<FaceImageRejectedException>(() => signIn.Check(ProgressiveBomb));

        Assert.Equal(ImageProblem.TooManyPixels, png.Problem);
        Assert.Equal("The photo has too many pixels (7300×5480). Use a smaller photo (at most 4 megapixels).", FaceFeedback.ForRejection(png));
        Assert.Contains("(at most 4 megapixels)", FaceFeedback.ForRejection(bomb), StringComparison.Ordinal);
        Assert.NotNull(signIn.Check(ImageHeaders.Jpeg(2560, 1560, progressive: true)));
    }

    [Fact]
    public void Each_door_states_its_own_byte_limit()
    {
        var budgets = new ImageBudgetOptions();
        var threeMegabytes = new byte[3 * 1024 * 1024];

        var atSignIn = Assert.Throws<FaceImageRejectedException>(() => budgets.SignIn.Check(threeMegabytes));
        var atSignUp = Assert.Throws<FaceImageRejectedException>(() => budgets.SignUp.Check(threeMegabytes));
        var atImport = Assert.Throws<FaceImageRejectedException>(() => budgets.Import.Check(new byte[6 * 1024 * 1024]));

        Assert.Equal("The photo file is too large. Use a smaller photo (at most 2 MB).", FaceFeedback.ForRejection(atSignIn));
        Assert.Equal(FaceFeedback.ForRejection(atSignIn), FaceFeedback.ForRejection(atSignUp));
        Assert.Equal("The photo file is too large. Use a smaller photo (at most 5 MB).", FaceFeedback.ForRejection(atImport));
        Assert.Null(budgets.Import.Check(threeMegabytes)); // within the bytes, no header: the decoder's to refuse
        Assert.DoesNotContain("5 MB", FaceFeedback.ForImageProblem(ImageProblem.TooLarge), StringComparison.Ordinal);
    }

    [Fact]
    public void A_door_cannot_be_given_more_bytes_than_the_engine_and_rekognition_take()
    {
        Assert.True(new ImageBudgetOptions().IsValid());
        var tooGenerous = new ImageBudgetOptions();
        tooGenerous.SignIn.MaxBytes = 6L * 1024 * 1024;

        Assert.False(tooGenerous.IsValid());
    }

    [Fact]
    public async Task Sign_in_refuses_an_image_over_its_door_with_that_doors_message_before_any_face_work()
    {
        var result = await harness.Authentication.AuthenticateAsync(new AuthenticationRequest(ImageHeaders.Png(7300, 5480), "203.0.113.9"), harness.Cancellation);

        Assert.Equal(LoginOutcome.BadImage, result.Outcome);
        Assert.Equal(FaceFeedback.TooManyPixels(7300, 5480, 4_000_000), result.Message);
        Assert.Equal(0, harness.Fake.DetectCount + harness.Fake.SearchCount);
    }

    [Fact]
    public async Task Sign_up_refuses_an_image_over_its_door_with_that_doors_message_before_any_face_work()
    {
        var result = await harness.SignUpFromAsync("203.0.113.9", "Eve Example", ProgressiveBomb);

        Assert.Equal((RegistrationStatus.BadImage, ImageProblem.TooManyPixels), (result.Status, result.ImageProblem));
        Assert.Contains("(at most 4 megapixels)", result.Message, StringComparison.Ordinal);
        Assert.Equal(0, harness.Fake.DetectCount + harness.Fake.SearchCount);
    }

    [Theory]
    [InlineData(ImageDoor.Import)]
    [InlineData(ImageDoor.Upload)]
    public async Task A_stored_image_is_judged_by_the_door_it_came_through(ImageDoor door)
    {
        var camerasOnly = await StoreAsync(ImageHeaders.Png(3000, 2000)); // 6 MP: over the camera doors, within the operator doors
        var bomb = await StoreAsync(ProgressiveBomb);

        var overCamera = await harness.Registration.RegisterStoredImageAsync(camerasOnly, door, harness.Cancellation);
        var overOperator = await harness.Registration.RegisterStoredImageAsync(bomb, door, harness.Cancellation);

        // Past the budget, the header-only PNG reaches the decoder, which finds no pixels in it.
        Assert.Equal((RegistrationStatus.BadImage, ImageProblem.Corrupt), (overCamera.Status, overCamera.ImageProblem));
        Assert.Equal((RegistrationStatus.BadImage, ImageProblem.TooManyPixels), (overOperator.Status, overOperator.ImageProblem));
        Assert.Equal(FaceFeedback.ProgressiveTooLarge(6300, 6300), overOperator.Message);
        Assert.Equal(1, harness.Fake.DetectCount);
    }

    private async Task<FaceImageKey> StoreAsync(byte[] image)
    {
        var key = FaceImageKey.New(Guid.NewGuid());
        await harness.Images.PutAsync(key, image, new FaceImageMetadata("Imported Person", key.PersonId, "image/png"), harness.Cancellation);
        return key;
    }
}
