// An upscaling web service on the SuperResolveImages pipeline step (UpscaleApp.cs).
// Usage: dotnet run -c Release --project examples/UpscaleService [--urls http://localhost:5000] [--Upscale:Iterations=600] …
//        curl --data-binary @small.png -H 'Content-Type: image/png' 'http://localhost:5000/upscale?scale=2' -o upscaled.png
using Microsoft.AspNetCore.Builder;

namespace UpscaleService;

public static class Program
{
    public static void Main(string[] args) => UpscaleApp.Create(args).Run();
}
