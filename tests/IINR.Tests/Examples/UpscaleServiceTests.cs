using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using IINR.Signals;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using UpscaleService;

namespace IINR.Tests.Examples;

/// <summary>
/// examples/UpscaleService end to end over real HTTP: Kestrel on a loopback port chosen at run time, an HttpClient,
/// tiny images and networks, one libtorch thread per fit.
/// </summary>
[TestClass]
public sealed class UpscaleServiceTests
{
    private static UpscaleServiceOptions Tiny(int iterations = 20, int concurrentFits = 1, int queueLength = 4) => new()
    {
        Iterations = iterations,
        HiddenSize = 16,
        ThreadsPerFit = 1,
        MaxInputPixels = 16 * 16,
        MaxUploadBytes = 64 << 10,
        ConcurrentFits = concurrentFits,
        QueueLength = queueLength,
    };

    private static async Task<(WebApplication App, HttpClient Client)> StartAsync(UpscaleServiceOptions options)
    {
        var app = UpscaleApp.Create(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"], options);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return (app, new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(2) });
    }

    private static byte[] Png(int width, int height) => ImageFile.EncodePng(Resampling.Crop(TestScene.Render(32, 32), 3, 5, width, height));

    private static ByteArrayContent Body(byte[] bytes, string type = "image/png")
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    private static Task<QueueStatus?> StatusAsync(HttpClient client) => client.GetFromJsonAsync<QueueStatus>("/status");

    [TestMethod]
    public async Task AGoodUploadComesBackAsAPngAtTheScale()
    {
        var (app, client) = await StartAsync(Tiny(iterations: 150));
        await using var _ = app;
        using var __ = client;

        using var response = await client.PostAsync("/upscale?scale=2", Body(Png(8, 6)));
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync());
        Assert.AreEqual("image/png", response.Content.Headers.ContentType?.MediaType);
        byte[] png = await response.Content.ReadAsByteArrayAsync();
        var image = ImageFile.Decode(png);
        Assert.AreEqual((16, 12, 3), (image.Width, image.Height, image.Channels));
        double psnr = double.Parse(response.Headers.GetValues("X-IINR-Observation-PSNR").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.IsGreaterThan(20.0, psnr);

        // The same upload gives the same bytes (a seeded fit per image); no scale means 2.
        using var again = await client.PostAsync("/upscale", Body(Png(8, 6)));
        CollectionAssert.AreEqual(png, await again.Content.ReadAsByteArrayAsync());
        Assert.AreEqual(new QueueStatus(0, 2, 0, 0), await StatusAsync(client));
    }

    [TestMethod]
    public async Task BadUploadsGetAClearError()
    {
        var (app, client) = await StartAsync(Tiny());
        await using var _ = app;
        using var __ = client;

        async Task Expect(HttpStatusCode status, string inDetail, string url, HttpContent body)
        {
            // Expect: 100-continue, as curl sends for large bodies: a refused body is never sent, the connection stays usable.
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = body };
            request.Headers.ExpectContinue = true;
            using var response = await client.SendAsync(request);
            string text = await response.Content.ReadAsStringAsync();
            Assert.AreEqual(status, response.StatusCode, text);
            Assert.AreEqual("application/problem+json", response.Content.Headers.ContentType?.MediaType, text);
            StringAssert.Contains(text, inDetail);
        }

        await Expect(HttpStatusCode.RequestEntityTooLarge, "17×16 = 272 pixels; this service takes at most 256", "/upscale?scale=2", Body(Png(17, 16)));
        await Expect(HttpStatusCode.RequestEntityTooLarge, "at most 65536 (Upscale:MaxUploadBytes)", "/upscale?scale=2", Body(new byte[100_000]));
        await Expect(HttpStatusCode.UnsupportedMediaType, "is not a PNG, JPEG or BMP image", "/upscale?scale=2", Body("hello"u8.ToArray(), "text/plain"));
        await Expect(HttpStatusCode.BadRequest, "The request body is empty", "/upscale?scale=2", Body([]));
        await Expect(HttpStatusCode.BadRequest, "has a PNG signature but its header cannot be read", "/upscale?scale=2", Body(Png(8, 8)[..12]));
        foreach (string scale in new[] { "1", "5", "two", "2.5" })
            await Expect(HttpStatusCode.BadRequest, $"'scale' must be an integer from 2 to 4; got '{scale}'", $"/upscale?scale={scale}", Body(Png(8, 8)));
        Assert.AreEqual(new QueueStatus(0, 0, 0, 0), await StatusAsync(client), "no bad upload reaches the queue");
    }

    [TestMethod]
    public async Task TwoConcurrentUploadsBothSucceedWhenOneMayWait()
    {
        var (app, client) = await StartAsync(Tiny(concurrentFits: 1, queueLength: 1));
        await using var _ = app;
        using var __ = client;

        var responses = await Task.WhenAll(client.PostAsync("/upscale?scale=2", Body(Png(8, 8))), client.PostAsync("/upscale?scale=3", Body(Png(6, 6))));
        Assert.IsTrue(responses.All(r => r.StatusCode == HttpStatusCode.OK), string.Join(", ", responses.Select(r => r.StatusCode)));
        Assert.AreEqual(16, ImageFile.Decode(await responses[0].Content.ReadAsByteArrayAsync()).Width);
        Assert.AreEqual(18, ImageFile.Decode(await responses[1].Content.ReadAsByteArrayAsync()).Width);
        Assert.AreEqual(new QueueStatus(0, 2, 0, 0), await StatusAsync(client));
    }

    [TestMethod]
    public async Task AFullQueueAnswers503AndADisconnectedClientCancelsItsFit()
    {
        // One fit at a time and one request waiting; a fit far too long to finish during the test unless cancelled.
        var (app, client) = await StartAsync(Tiny(iterations: 1_000_000, concurrentFits: 1, queueLength: 1));
        await using var _ = app;
        using var __ = client;

        using var disconnectFirst = new CancellationTokenSource();
        using var disconnectSecond = new CancellationTokenSource();
        var first = client.PostAsync("/upscale?scale=2", Body(Png(8, 8)), disconnectFirst.Token);
        await WaitUntil(async () => (await StatusAsync(client))!.Admitted == 1);
        var second = client.PostAsync("/upscale?scale=2", Body(Png(8, 8)), disconnectSecond.Token);
        await WaitUntil(async () => (await StatusAsync(client))!.Admitted == 2);

        using var third = await client.PostAsync("/upscale?scale=2", Body(Png(8, 8)));
        string text = await third.Content.ReadAsStringAsync();
        Assert.AreEqual(HttpStatusCode.ServiceUnavailable, third.StatusCode, text);
        StringAssert.Contains(text, "1 fit(s) are running and 1 waiting");
        Assert.IsNotNull(third.Headers.RetryAfter, "Retry-After");

        // The waiting client leaves, then the fitting one: each is cancelled, and the queue empties.
        disconnectSecond.Cancel();
        await Assert.ThrowsAsync<TaskCanceledException>(() => second);
        await WaitUntil(async () => await StatusAsync(client) == new QueueStatus(1, 0, 1, 1));
        disconnectFirst.Cancel();
        await Assert.ThrowsAsync<TaskCanceledException>(() => first);
        await WaitUntil(async () => await StatusAsync(client) == new QueueStatus(0, 0, 2, 1));
    }

    [TestMethod]
    public void SettingsComeFromTheConfigurationAndAreChecked()
    {
        var bad = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => UpscaleApp.Create(["--Upscale:MaxScale=1"]));
        Assert.AreEqual("MaxScale", bad.ParamName);
        StringAssert.Contains(bad.Message, "Upscale:MaxScale must be from 2 to 16; got 1");

        using var app = UpscaleApp.Create(["--Upscale:MaxInputPixels=100", "--Upscale:QueueLength=0"]);
        var options = app.Services.GetRequiredService<UpscaleServiceOptions>();
        Assert.AreEqual((100L, 0, 0), (options.MaxInputPixels, options.QueueLength, options.Iterations), "0 iterations: the preset's");
    }

    private static async Task WaitUntil(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.IsLessThan(deadline, DateTime.UtcNow, "timed out");
            await Task.Delay(20);
        }
    }
}
