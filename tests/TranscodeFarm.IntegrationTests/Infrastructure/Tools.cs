using System.Diagnostics;

namespace TranscodeFarm.IntegrationTests.Infrastructure;

public sealed record ToolResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs ffmpeg, ffprobe and the transcodefarm CLI with argument lists and a timeout.</summary>
public static class Tools
{
    public static string CliDll => Path.Combine(AppContext.BaseDirectory, "transcodefarm.dll");

    public static Task<ToolResult> FfmpegAsync(params string[] args) => RunAsync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", .. args]);

    public static Task<ToolResult> FfprobeAsync(params string[] args) => RunAsync("ffprobe", ["-v", "error", .. args]);

    public static Task<ToolResult> CliAsync(IReadOnlyDictionary<string, string>? env, params string[] args) =>
        RunAsync("dotnet", [CliDll, .. args], env, TimeSpan.FromMinutes(2));

    public static async Task<ToolResult> RunAsync(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }

        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish");
        }

        return new ToolResult(p.ExitCode, await stdout, await stderr);
    }

    public static async Task<string> CheckedFfmpegAsync(params string[] args)
    {
        var r = await FfmpegAsync(args);
        Assert.True(r.ExitCode == 0, "ffmpeg failed: " + r.Stderr);
        return r.Stdout;
    }

    public static int FreePort()
    {
        var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        var port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
