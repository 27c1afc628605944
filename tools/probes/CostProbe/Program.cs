using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

// The cost probe of issue 9, point 1 (tools/probes/README.md): starts the Release app (Production, loopback, a temp data
// folder, people imported from lfw-dev), then
//   (a) 8 pixel-heavy images at once from 8 client addresses (127.0.0.2-9): peak memory over idle, slowest answer;
//   (b) a burst of 50 ordinary sign-ins (lfw-dev faces at camera size) while GET /login is timed: p50/p95.
// Targets: (a) ≤ +300 MB and every answer ≤ 2 s; (b) GET /login p95 ≤ 100 ms.

var repo = FindRepoRoot();
var appDll = Arg("--app") ?? Path.Combine(repo, "FaceLogin.Web", "bin", "Release", "net10.0", "FaceLogin.Web.dll");
var dataset = Arg("--dataset") ?? Environment.GetEnvironmentVariable("FACELOGIN_DATASET") ?? "/work/shared/datasets/lfw-dev";
var people = int.Parse(Arg("--people") ?? "25", CultureInfo.InvariantCulture);
if (!File.Exists(appDll))
{
    Console.Error.WriteLine($"No app at {appDll}: run `dotnet build -c Release FaceLogin.Web` first (or pass --app).");
    return 2;
}

var work = Directory.CreateTempSubdirectory("facelogin-cost-probe-");
try
{
    Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}; app {appDll}");
    var (photosToImport, signInPhotos) = PreparePeople(dataset, people, work.FullName);
    await RunAsync(appDll, ["import", photosToImport, "--parallel", "2"], work.FullName, "import");
    var bomb = Path.Combine(work.FullName, "bomb.jpg");
    var png = Path.Combine(work.FullName, "forty-megapixels.png");
    await RunAsync("convert", ["-size", "6300x6300", "xc:#7f7f7f", "-type", "TrueColor", "-interlace", "JPEG", "-sampling-factor", "1x1", "-quality", "90", bomb], work.FullName, "convert");
    await RunAsync("convert", ["-size", "7300x5479", "xc:#7f7f7f", png], work.FullName, "convert");
    Console.WriteLine($"images: {Path.GetFileName(bomb)} {new FileInfo(bomb).Length / 1024} KB (6300×6300 progressive 4:4:4), {Path.GetFileName(png)} {new FileInfo(png).Length / 1024} KB (7300×5479)");

    var port = FreePort();
    using var app = StartApp(appDll, port, work.FullName);
    var baseUri = new Uri($"http://127.0.0.1:{port}/");
    await WaitUntilUpAsync(baseUri, app);

    // (a) Eight pixel-heavy images at once, from eight addresses.
    await Task.Delay(2000);
    var idleRss = ProcStatus(app.Id, "VmRSS");
    File.WriteAllText($"/proc/{app.Id}/clear_refs", "5"); // resets VmHWM to the current RSS
    var heavy = Enumerable.Range(0, 8).Select(i => (Address: $"127.0.0.{i + 2}", Photo: File.ReadAllBytes(i % 2 == 0 ? bomb : png))).ToArray();
    var clients = await Task.WhenAll(heavy.Select(h => SignInClient.CreateAsync(baseUri, h.Address)));
    var heavyAnswers = await Task.WhenAll(clients.Select((c, i) => c.SignInAsync(heavy[i].Photo)));
    var peak = ProcStatus(app.Id, "VmHWM");
    Console.WriteLine();
    Console.WriteLine("(a) 8 pixel-heavy images at once from 8 addresses");
    Console.WriteLine($"    idle RSS {idleRss / 1024} MB, peak {peak / 1024} MB: +{(peak - idleRss) / 1024} MB (target ≤ +300 MB)");
    Console.WriteLine($"    slowest answer {heavyAnswers.Max(a => a.Elapsed.TotalMilliseconds):0} ms (target ≤ 2000 ms); answers: "
        + string.Join(", ", heavyAnswers.GroupBy(a => $"{(int)a.Status} {a.Outcome}").Select(g => $"{g.Count()}× {g.Key}")));
    Console.WriteLine($"    message: {heavyAnswers[0].Message} | {heavyAnswers[1].Message}");

    // (b) 50 ordinary sign-ins in a burst (10 addresses × 5), GET /login timed throughout.
    var burstClients = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => SignInClient.CreateAsync(baseUri, $"127.0.1.{i + 2}")));
    using var pageClient = new HttpClient { BaseAddress = baseUri };
    var pageTimes = new List<double>();
    using var stop = new CancellationTokenSource();
    var pages = Task.Run(async () =>
    {
        while (!stop.IsCancellationRequested)
        {
            var watch = Stopwatch.StartNew();
            using var response = await pageClient.GetAsync("login");
            await response.Content.ReadAsByteArrayAsync();
            pageTimes.Add(watch.Elapsed.TotalMilliseconds);
            await Task.Delay(20);
        }
    });
    await Task.Delay(500);
    var burstWatch = Stopwatch.StartNew();
    var burst = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => burstClients[i % 10].SignInAsync(signInPhotos[i % signInPhotos.Count])));
    var burstTime = burstWatch.Elapsed;
    await Task.Delay(300);
    await stop.CancelAsync();
    await pages;
    var duringBurst = pageTimes.ToArray();
    Array.Sort(duringBurst);
    Console.WriteLine();
    Console.WriteLine($"(b) 50 ordinary sign-ins (640×480 lfw-dev faces) from 10 addresses at once: all answered in {burstTime.TotalMilliseconds:0} ms");
    Console.WriteLine("    answers: " + string.Join(", ", burst.GroupBy(a => $"{(int)a.Status} {a.Outcome}").OrderByDescending(g => g.Count()).Select(g => $"{g.Count()}× {g.Key}")));
    var signIns = burst.Select(a => a.Elapsed.TotalMilliseconds).Order().ToArray();
    Console.WriteLine($"    sign-in p50 {Percentile(signIns, 50):0} ms, p95 {Percentile(signIns, 95):0} ms, max {signIns[^1]:0} ms");
    Console.WriteLine($"    GET /login during the burst: {duringBurst.Length} requests, p50 {Percentile(duringBurst, 50):0.0} ms, p95 {Percentile(duringBurst, 95):0.0} ms, max {duringBurst[^1]:0.0} ms (target p95 ≤ 100 ms)");

    app.Kill(entireProcessTree: true);

    // (c) What decoding the bomb really costs, where a door lets it through: `import` of the bomb alone with the import door's
    // coefficient budget lifted, against `import` of one camera photo. Peak RSS of each import process.
    var bombFolder = Directory.CreateDirectory(Path.Combine(work.FullName, "bomb-import", "Bomb_Person")).FullName;
    File.Copy(bomb, Path.Combine(bombFolder, "bomb.jpg"));
    var frameFolder = Directory.CreateDirectory(Path.Combine(work.FullName, "frame-import", "Frame_Person")).FullName;
    File.WriteAllBytes(Path.Combine(frameFolder, "frame.jpg"), signInPhotos[0]);
    var lifted = new Dictionary<string, string> { ["FaceLogin__ImageBudgets__Import__MaxProgressiveCoefficientBytes"] = "1073741824" };
    var framePeak = await PeakRssOfAsync(appDll, Path.GetDirectoryName(frameFolder)!, Path.Combine(work.FullName, "data-c1"), []);
    var bombPeak = await PeakRssOfAsync(appDll, Path.GetDirectoryName(bombFolder)!, Path.Combine(work.FullName, "data-c2"), lifted);
    var budgetPeak = await PeakRssOfAsync(appDll, Path.GetDirectoryName(bombFolder)!, Path.Combine(work.FullName, "data-c3"), []);
    var pngFolder = Directory.CreateDirectory(Path.Combine(work.FullName, "png-import", "Png_Person")).FullName;
    File.Copy(png, Path.Combine(pngFolder, "forty.png"));
    var pngPeak = await PeakRssOfAsync(appDll, Path.GetDirectoryName(pngFolder)!, Path.Combine(work.FullName, "data-c4"), []);
    Console.WriteLine();
    Console.WriteLine("(c) peak RSS of one `import` process");
    Console.WriteLine($"    the 40 MP PNG (within the import door's budget): {pngPeak.Kb / 1024} MB, +{(pngPeak.Kb - framePeak.Kb) / 1024} MB ({pngPeak.Summary})");
    Console.WriteLine($"    one 640×480 camera photo: {framePeak.Kb / 1024} MB ({framePeak.Summary})");
    Console.WriteLine($"    the 6300×6300 progressive bomb, coefficient budget lifted: {bombPeak.Kb / 1024} MB, +{(bombPeak.Kb - framePeak.Kb) / 1024} MB ({bombPeak.Summary})");
    Console.WriteLine($"    the bomb under the import door's default budget: {budgetPeak.Kb / 1024} MB ({budgetPeak.Summary})");
    return 0;
}
finally
{
    try
    {
        work.Delete(recursive: true);
    }
    catch (IOException)
    {
        // A file still held by the dying app: the temp folder is cleaned by the system.
    }
}

string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

static double Percentile(double[] sorted, int percent) =>
    sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(percent / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];

static string FindRepoRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "FaceLogin.sln")))
        {
            return dir.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}

// People with at least two photos: the first is imported, the others are signed in with at camera size (640×480, letterboxed).
static (string ImportFolder, List<byte[]> SignInPhotos) PreparePeople(string dataset, int count, string work)
{
    var import = Directory.CreateDirectory(Path.Combine(work, "import")).FullName;
    var camera = Directory.CreateDirectory(Path.Combine(work, "camera")).FullName;
    var signIns = new List<byte[]>();
    foreach (var person in Directory.EnumerateDirectories(dataset).Order(StringComparer.Ordinal)
                 .Select(d => Directory.GetFiles(d, "*.jpg").Order(StringComparer.Ordinal).ToArray())
                 .Where(photos => photos.Length >= 2)
                 .Take(count))
    {
        var name = Path.GetFileName(Path.GetDirectoryName(person[0]))!;
        var folder = Directory.CreateDirectory(Path.Combine(import, name)).FullName;
        File.Copy(person[0], Path.Combine(folder, Path.GetFileName(person[0])));
        var frame = Path.Combine(camera, name + ".jpg");
        Process.Start("convert", [person[1], "-resize", "480x480", "-gravity", "center", "-background", "#808080", "-extent", "640x480", "-quality", "85", frame])!.WaitForExit();
        signIns.Add(File.ReadAllBytes(frame));
    }

    Console.WriteLine($"people: {signIns.Count} imported from {dataset}, each signing in with another photo of theirs at 640×480");
    return (import, signIns);
}

static async Task RunAsync(string file, string[] arguments, string work, string what)
{
    var start = new ProcessStartInfo(file.EndsWith(".dll", StringComparison.Ordinal) ? "dotnet" : file) { RedirectStandardOutput = true, RedirectStandardError = true };
    if (file.EndsWith(".dll", StringComparison.Ordinal))
    {
        start.ArgumentList.Add(file);
    }

    foreach (var argument in arguments)
    {
        start.ArgumentList.Add(argument);
    }

    start.Environment["FaceLogin__DataPath"] = Path.Combine(work, "data");
    using var process = Process.Start(start)!;
    var output = process.StandardOutput.ReadToEndAsync();
    var errors = process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    if (what == "import")
    {
        Console.WriteLine("import: " + (await output).Split('\n')[0]);
    }

    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"{what} failed ({process.ExitCode}): {await errors}");
    }
}

// Runs `import FOLDER` and samples the process's VmHWM (monotonic) until it exits: the last sample is its peak.
static async Task<(long Kb, string Summary)> PeakRssOfAsync(string appDll, string folder, string data, Dictionary<string, string> settings)
{
    var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var argument in new[] { appDll, "import", folder, "--parallel", "1" })
    {
        start.ArgumentList.Add(argument);
    }

    start.Environment["FaceLogin__DataPath"] = data;
    foreach (var (key, value) in settings)
    {
        start.Environment[key] = value;
    }

    using var process = Process.Start(start)!;
    var output = process.StandardOutput.ReadToEndAsync();
    _ = process.StandardError.ReadToEndAsync();
    long peak = 0;
    while (!process.HasExited)
    {
        try
        {
            peak = Math.Max(peak, ProcStatus(process.Id, "VmHWM"));
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            // Exited between the check and the read.
        }

        await Task.Delay(5);
    }

    var summary = (await output).Split('\n');
    return (peak, string.Join(" ", summary.Take(2)).Trim());
}

static Process StartApp(string appDll, int port, string work)
{
    var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
    start.ArgumentList.Add(appDll);
    start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
    start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
    start.Environment["FaceLogin__DataPath"] = Path.Combine(work, "data");
    start.Environment["Logging__LogLevel__Default"] = "Warning";
    var process = Process.Start(start)!;
    process.OutputDataReceived += (_, _) => { };
    process.ErrorDataReceived += (_, _) => { };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    return process;
}

static async Task WaitUntilUpAsync(Uri baseUri, Process app)
{
    using var client = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(5) };
    for (var i = 0; i < 240; i++)
    {
        if (app.HasExited)
        {
            throw new InvalidOperationException($"The app exited with {app.ExitCode}.");
        }

        try
        {
            using var response = await client.GetAsync("login");
            if (response.IsSuccessStatusCode)
            {
                return;
            }
        }
        catch (HttpRequestException)
        {
            // Not listening yet.
        }

        await Task.Delay(500);
    }

    throw new TimeoutException("The app did not answer GET /login within 2 minutes.");
}

static long ProcStatus(int pid, string field) =>
    long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

/// <summary>A browser on one client address: its own connections from that address, its antiforgery cookie and token.</summary>
internal sealed partial class SignInClient
{
    private readonly HttpClient _http;
    private readonly string _token;

    private SignInClient(HttpClient http, string token) => (_http, _token) = (http, token);

    public static async Task<SignInClient> CreateAsync(Uri baseUri, string localAddress)
    {
        var handler = new SocketsHttpHandler
        {
            UseCookies = true,
            CookieContainer = new CookieContainer(),
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                socket.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        var http = new HttpClient(handler) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(60) };
        var page = await http.GetStringAsync("login");
        return new SignInClient(http, TokenField().Match(page).Groups["token"].Value);
    }

    public async Task<(HttpStatusCode Status, string Outcome, string Message, TimeSpan Elapsed)> SignInAsync(byte[] photo)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(_token), "__RequestVerificationToken" },
        };
        var image = new ByteArrayContent(photo);
        image.Headers.ContentType = new("image/jpeg");
        form.Add(image, "image", "face.jpg");
        var watch = Stopwatch.StartNew();
        using var response = await _http.PostAsync("auth/login", form);
        var body = await response.Content.ReadAsStringAsync();
        var elapsed = watch.Elapsed;
        return (response.StatusCode, Field(body, "status"), Field(body, "message"), elapsed);
    }

    private static string Field(string json, string name) =>
        Regex.Match(json, $"\"{name}\"\\s*:\\s*\"(?<v>[^\"]*)\"") is { Success: true } m ? m.Groups["v"].Value : (json.Contains("redirect", StringComparison.Ordinal) ? "SignedIn" : "");

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"(?<token>[^\"]+)\"")]
    private static partial Regex TokenField();
}
