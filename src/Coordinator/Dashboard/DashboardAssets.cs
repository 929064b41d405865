using System.Collections.Frozen;
using System.Security.Cryptography;

namespace NodeHealth.Coordinator.Dashboard;

/// <summary>
/// The dashboard's CSS and script, embedded in the coordinator (clusters are often offline: no CDN). Each link carries
/// a hash of the file, so a browser may cache it for long and still gets a new version after an upgrade.
/// </summary>
public static class DashboardAssets
{
    private sealed record Asset(byte[] Content, string ContentType, string Version);

    private static readonly FrozenDictionary<string, Asset> Files = Load();

    public static string Href(string file) => $"{DashboardRoutes.Assets}/{file}?v={Files[file].Version}";

    public static IResult Serve(string file, HttpResponse response)
    {
        if (!Files.TryGetValue(file, out var asset))
            return Results.NotFound();
        response.Headers.CacheControl = "public, max-age=31536000, immutable";
        response.Headers.XContentTypeOptions = "nosniff";
        return Results.Bytes(asset.Content, asset.ContentType);
    }

    private static FrozenDictionary<string, Asset> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var files = new Dictionary<string, Asset>();
        foreach (var (name, type) in new[] { ("dashboard.css", "text/css; charset=utf-8"), ("dashboard.js", "text/javascript; charset=utf-8") })
        {
            using var stream = assembly.GetManifestResourceStream($"dashboard/{name}")
                ?? throw new InvalidOperationException($"The dashboard asset {name} is not embedded in {assembly.GetName().Name} (see Coordinator.csproj)");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var content = copy.ToArray();
            files[name] = new Asset(content, type, Convert.ToHexStringLower(SHA256.HashData(content))[..12]);
        }

        return files.ToFrozenDictionary();
    }
}
