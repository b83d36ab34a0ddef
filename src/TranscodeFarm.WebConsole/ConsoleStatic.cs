using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace TranscodeFarm.WebConsole;

/// <summary>The console's files, embedded in this assembly at build time (wwwroot/ and, when npm installed them, the players).</summary>
internal static class ConsoleStatic
{
    private const string Prefix = "console/";
    private static readonly ConcurrentDictionary<string, byte[]?> Files = new(StringComparer.Ordinal);

    /// <summary>Which preview players this build carries (<c>npm ci</c> in src/TranscodeFarm.WebConsole/player before the build).</summary>
    public static object Players() => new
    {
        hlsjs = Find("vendor/hls.min.js") is not null,
        shaka = Find("vendor/shaka-player.compiled.js") is not null,
    };

    public static byte[]? Find(string name) => Files.GetOrAdd(name, static n =>
    {
        using var stream = typeof(ConsoleStatic).Assembly.GetManifestResourceStream(Prefix + n);
        if (stream is null)
        {
            return null;
        }

        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static string Text(string name) => System.Text.Encoding.UTF8.GetString(Find(name) ?? throw new InvalidOperationException($"console file {name} is not embedded"));

    /// <summary>GET /console/static/{file}: only names this assembly embeds; nothing from the file system.</summary>
    public static IResult Serve(string file, HttpContext context)
    {
        if (file.Contains("..", StringComparison.Ordinal) || Find(file) is not { } bytes)
        {
            return Results.NotFound(new { error = file.StartsWith("vendor/", StringComparison.Ordinal)
                ? $"{file} is not in this build: run `npm ci` in src/TranscodeFarm.WebConsole/player (scripts/player-deps.sh) and build again"
                : $"no console file '{file}'" });
        }

        var type = Path.GetExtension(file) switch
        {
            ".js" => "text/javascript; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            ".svg" => "image/svg+xml",
            ".html" => "text/html; charset=utf-8",
            _ => "application/octet-stream",
        };
        // The players are pinned npm versions that change only with a new build: a browser may keep them for a day
        // instead of downloading 1.4 MB on every asset page. The console's own files stay no-store (the guard's default).
        if (file.StartsWith("vendor/", StringComparison.Ordinal))
        {
            context.Response.Headers.CacheControl = "private, max-age=86400";
        }

        return Results.Bytes(bytes, type);
    }
}
