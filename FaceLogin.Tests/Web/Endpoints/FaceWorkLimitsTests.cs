using System.Net;
using System.Net.Http.Json;
using FaceLogin.Domain.Faces;
using FaceLogin.Domain.Faces.Cost;
using FaceLogin.Web.Endpoints;
using FaceLogin.Web.Security;
using FaceLogin.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace FaceLogin.Tests.Web.Endpoints;

/// <summary>
/// POST /auth/login under the cost limits of issue 9, point 1, on a test server with the real engine: the face-work queue's
/// refusal (503 + Retry-After + the JSON the page shows), the per-address face-work budget that charges images answered
/// "no face" too (429 + Retry-After), and the camera door's pixel budget.
/// </summary>
public sealed class FaceWorkLimitsTests : IAsyncDisposable
{
    private readonly FaceLoginWebFactory _app = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task When_face_work_is_saturated_sign_in_answers_503_with_retry_after_and_a_message_while_pages_still_answer()
    {
        _app.Settings["FaceLogin:FaceWork:MaxConcurrency"] = "1";
        _app.Settings["FaceLogin:FaceWork:MaxWaitMilliseconds"] = "0";
        _app.Settings["FaceLogin:FaceWork:RetryAfterSeconds"] = "4";
        using var client = _app.CreateBrowserLikeClient();
        var token = await FaceLoginWebFactory.GetAntiforgeryTokenAsync(client, Cancel);
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var holder = _app.Services.GetRequiredService<FaceWorkQueue>().RunAsync(() => gate.Task, Cancel);

        using var response = await client.PostAsync("auth/login", FaceLoginWebFactory.SignInForm(CameraFrame(), token), Cancel);
        using var page = await client.GetAsync("login", Cancel);

        gate.SetResult(0);
        await holder;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("4", response.Headers.RetryAfter?.ToString());
        Assert.Equal(FaceSignInRefused.Busy, await response.Content.ReadFromJsonAsync<FaceSignInRefused>(Cancel));
        Assert.Equal(FaceWorkBusyException.UserMessage, FaceSignInRefused.Busy.Message);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task Images_answered_no_face_are_charged_to_the_address_and_past_its_budget_sign_in_answers_429_with_retry_after()
    {
        _app.Settings["FaceLogin:Web:FaceWorkUnitLimit"] = "2";
        using var client = _app.CreateBrowserLikeClient();
        var token = await FaceLoginWebFactory.GetAntiforgeryTokenAsync(client, Cancel);

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++)
        {
            answers.Add(await client.PostAsync("auth/login", FaceLoginWebFactory.SignInForm(CameraFrame(), token), Cancel));
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], answers.Select(a => a.StatusCode));
        Assert.Equal("NoFace", (await answers[0].Content.ReadFromJsonAsync<FaceSignInRefused>(Cancel))!.Status);
        Assert.Equal(FaceSignInRefused.WorkLimit, await answers[2].Content.ReadFromJsonAsync<FaceSignInRefused>(Cancel));
        Assert.InRange(int.Parse(answers[2].Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        answers.ForEach(a => a.Dispose());
    }

    [Fact]
    public void An_image_costs_one_unit_per_started_megapixel_it_declares_up_to_what_its_door_decodes()
    {
        Assert.Equal(1, FaceWorkMeter.CostOf(CameraFrame(), 4_000_000));
        Assert.Equal(4, FaceWorkMeter.CostOf(ImageHeaders.Jpeg(2560, 1560, progressive: false), 4_000_000));
        Assert.Equal(20, FaceWorkMeter.CostOf(ImageHeaders.Png(5000, 4000), 40_000_000));
        Assert.Equal(4, FaceWorkMeter.CostOf(ImageHeaders.Png(5000, 4000), 4_000_000));
        Assert.Equal(1, FaceWorkMeter.CostOf("not an image"u8, 4_000_000));
    }

    [Fact]
    public async Task A_pixel_heavy_image_is_refused_at_the_sign_in_door_with_its_limit_in_the_message()
    {
        using var client = _app.CreateBrowserLikeClient();
        var token = await FaceLoginWebFactory.GetAntiforgeryTokenAsync(client, Cancel);

        using var response = await client.PostAsync("auth/login", FaceLoginWebFactory.SignInForm(ImageHeaders.Png(7300, 5480), token), Cancel);

        var refusal = await response.Content.ReadFromJsonAsync<FaceSignInRefused>(Cancel);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(new FaceSignInRefused("BadImage", FaceFeedback.TooManyPixels(7300, 5480, 4_000_000)), refusal);
    }

    /// <summary>What the page's camera sends: a 640×480 JPEG, here of a grey wall (no face).</summary>
    private static byte[] CameraFrame()
    {
        using var bitmap = new SKBitmap(640, 480);
        bitmap.Erase(new SKColor(120, 120, 120));
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 80);
        return data.ToArray();
    }
}
