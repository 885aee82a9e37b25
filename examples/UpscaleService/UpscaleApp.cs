using System.Globalization;
using IINR.Signals;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SkiaSharp;

namespace UpscaleService;

/// <summary>
/// The service: <c>POST /upscale?scale=2</c> with a PNG, JPEG or BMP image as the body returns the image
/// super-resolved by <c>scale</c> as a PNG (headers <c>X-IINR-Observation-PSNR</c> and <c>X-IINR-Seconds</c> describe the
/// fit); <c>GET /status</c> returns the queue's counters. Errors are problem details (RFC 9457) that say what was wrong:
/// 400 a bad scale or a damaged image, 413 an upload over the byte or pixel cap, 415 a body that is no PNG, JPEG or
/// BMP, 503 (with Retry-After) when the queue of fits is full. A client that disconnects cancels its fit.
/// </summary>
public static class UpscaleApp
{
    /// <summary>Builds the service from <paramref name="args"/> (ASP.NET Core's command line and configuration, the
    /// "Upscale" section for <see cref="UpscaleServiceOptions"/>); <paramref name="options"/>, when given, replaces that section.</summary>
    public static WebApplication Create(string[] args, UpscaleServiceOptions? options = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        if (options is null)
        {
            options = new UpscaleServiceOptions();
            builder.Configuration.GetSection("Upscale").Bind(options);
        }
        options.Validate();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<Upscaler>();
        builder.Services.AddSingleton(new FitQueue(options.ConcurrentFits, options.QueueLength));
        builder.Services.AddProblemDetails();
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxUploadBytes);

        var app = builder.Build();
        app.MapPost("/upscale", UpscaleAsync);
        app.MapGet("/status", (FitQueue queue) => Results.Json(new QueueStatus(queue.Admitted, queue.Completed, queue.Cancelled, queue.Refused),
            QueueStatusJson.Default.QueueStatus));
        return app;
    }

    private static async Task<IResult> UpscaleAsync(HttpContext http, UpscaleServiceOptions options, Upscaler upscaler, FitQueue queue,
        ILoggerFactory loggers)
    {
        var log = loggers.CreateLogger("UpscaleService");
        var aborted = http.RequestAborted;

        string? scaleText = http.Request.Query["scale"];
        if (!int.TryParse(scaleText ?? "2", NumberStyles.None, CultureInfo.InvariantCulture, out int scale) || scale < 2 || scale > options.MaxScale)
            return Problem(400, "Bad scale", $"The query parameter 'scale' must be an integer from 2 to {options.MaxScale}; got '{scaleText}'.");

        if (http.Request.ContentLength > options.MaxUploadBytes)
            return TooLarge($"The upload is {http.Request.ContentLength} bytes; this service takes at most {options.MaxUploadBytes} (Upscale:MaxUploadBytes).");
        byte[] body;
        try
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, aborted);
            body = buffer.ToArray();
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge($"The upload is over {options.MaxUploadBytes} bytes (Upscale:MaxUploadBytes).");
        }
        if (body.Length == 0)
            return Problem(400, "Empty body", "The request body is empty: send the image file's bytes (PNG, JPEG or BMP) as the body.");

        string? format = FormatOf(body);
        if (format is null)
            return Problem(415, "Not an image", $"The body ({body.Length} bytes, Content-Type '{http.Request.ContentType}') is not a PNG, JPEG or BMP image; " +
                $"it starts with {Convert.ToHexString(body.AsSpan(0, Math.Min(8, body.Length)))}.");

        // The size the header declares, checked before any pixel is decoded.
        (int width, int height)? size = SizeOf(body);
        if (size is not var (width, height))
            return Problem(400, "Damaged image", $"The body has a {format} signature but its header cannot be read ({body.Length} bytes; truncated or damaged).");
        if ((long)width * height > options.MaxInputPixels)
            return TooLarge($"The image is {width}×{height} = {(long)width * height} pixels; this service takes at most {options.MaxInputPixels} (Upscale:MaxInputPixels).");

        SignalImage image;
        try { image = ImageFile.Decode(body, "the uploaded image"); }
        catch (InvalidDataException e) { return Problem(400, "Damaged image", e.Message); }

        try
        {
            using var slot = await queue.TryEnterAsync(aborted);
            if (slot is null)
            {
                http.Response.Headers.RetryAfter = "5";
                return Problem(503, "Busy", $"{options.ConcurrentFits} fit(s) are running and {options.QueueLength} waiting, the most this service queues; retry later.");
            }
            var result = await Task.Run(() => upscaler.Upscale(image, scale, aborted), aborted);
            queue.CountCompleted();
            log.LogInformation("Upscaled {Width}×{Height} by {Scale} in {Seconds:F2} s, PSNR on the upload {Psnr:F2} dB.", width, height, scale, result.Seconds, result.ObservationPsnr);
            http.Response.Headers["X-IINR-Observation-PSNR"] = result.ObservationPsnr.ToString("F2", CultureInfo.InvariantCulture);
            http.Response.Headers["X-IINR-Seconds"] = result.Seconds.ToString("F3", CultureInfo.InvariantCulture);
            return Results.File(result.Png, "image/png");
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            queue.CountCancelled();
            log.LogInformation("The client went away; its {Width}×{Height} fit was cancelled.", width, height);
            return Results.StatusCode(499); // nobody reads it: the connection is gone
        }
    }

    private static IResult Problem(int status, string title, string detail) => Results.Problem(detail, statusCode: status, title: title);

    private static IResult TooLarge(string detail) => Problem(413, "Upload too large", detail);

    // The formats ImageFile decodes, by their signatures.
    private static string? FormatOf(ReadOnlySpan<byte> body) =>
        body.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]) ? "PNG"
        : body.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? "JPEG"
        : body.StartsWith("BM"u8) ? "BMP"
        : null;

    // Width and height from the file's header, without decoding it.
    private static (int Width, int Height)? SizeOf(byte[] body)
    {
        using var data = SKData.CreateCopy(body);
        using var codec = SKCodec.Create(data);
        return codec is null ? null : (codec.Info.Width, codec.Info.Height);
    }
}

/// <summary>The queue's counters (<c>GET /status</c>).</summary>
/// <param name="Admitted">Requests running or waiting now.</param>
/// <param name="Completed">Requests upscaled.</param>
/// <param name="Cancelled">Requests whose client went away.</param>
/// <param name="Refused">Requests refused with 503.</param>
public sealed record QueueStatus(int Admitted, long Completed, long Cancelled, long Refused);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(QueueStatus))]
internal sealed partial class QueueStatusJson : System.Text.Json.Serialization.JsonSerializerContext;
