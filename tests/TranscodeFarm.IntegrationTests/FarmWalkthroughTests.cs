using System.Diagnostics;
using System.Text;
using TranscodeFarm.Core.Manifests;
using TranscodeFarm.IntegrationTests.Infrastructure;

namespace TranscodeFarm.IntegrationTests;

/// <summary>
/// The README's farm walkthrough, run as written (the block between the farm-walkthrough markers) against the test
/// PostgreSQL and Ceph RGW: two workers and an edge on separate data dirs, a submit from a third, and the HLS URL it prints
/// must play (ffprobe reads the whole presentation through the edge).
/// </summary>
public sealed class FarmWalkthroughTests
{
    [Fact]
    public async Task The_readme_walkthrough_ends_with_a_playable_url()
    {
        var root = RepositoryRoot();
        var block = ReadmeBlock(await File.ReadAllTextAsync(Path.Combine(root, "README.md")));
        var farm = Directory.CreateTempSubdirectory("tf-walk-").FullName;
        var edgePort = Tools.FreePort();
        var psi = new ProcessStartInfo("bash") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        // Verbatim, then wait: the hosts it started in the background run until the test has played the URL.
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("set -e\n" + block + "\nread -r _\n");
        psi.Environment["QUEUE"] = await TestPostgres.CreateDatabaseAsync();
        psi.Environment["FARM"] = Path.Combine(farm, "farm");
        psi.Environment["EDGE_PORT"] = edgePort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["METRICS_PORT"] = Tools.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (k, v) in TestS3.FarmEnvironment("walk-" + Guid.NewGuid().ToString("N")[..10]))
        {
            psi.Environment[k] = v;
        }

        var output = new StringBuilder();
        var url = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var bash = Process.Start(psi)!;
        bash.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (e.Data?.Trim() is { } line && line.StartsWith("HLS:", StringComparison.Ordinal))
            {
                url.TrySetResult(line["HLS:".Length..].Trim());
            }
        };
        bash.ErrorDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
        };
        bash.BeginOutputReadLine();
        bash.BeginErrorReadLine();
        try
        {
            var exited = bash.WaitForExitAsync();
            var first = await Task.WhenAny(url.Task, exited, Task.Delay(TimeSpan.FromMinutes(4)));
            Assert.True(first == url.Task, "the walkthrough printed no HLS URL:\n" + Logs(output, farm));
            var hls = await url.Task;
            Assert.StartsWith($"http://127.0.0.1:{edgePort}/vod/", hls, StringComparison.Ordinal);

            // The edge follows the job database: it may hear of the new asset a poll after the job ended.
            using var http = new HttpClient();
            var clock = Stopwatch.StartNew();
            HttpResponseMessage master;
            while (!(master = await http.GetAsync(new Uri(hls))).IsSuccessStatusCode)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{hls}: {master.StatusCode}\n" + Logs(output, farm));
                await Task.Delay(250);
            }

            Assert.NotEmpty(HlsParser.ParseMaster(await master.Content.ReadAsStringAsync()).Variants);
            var probe = await Tools.FfprobeAsync("-show_entries", "format=duration", "-of", "csv=p=0", hls);
            Assert.True(probe.ExitCode == 0, probe.Stderr);
            Assert.InRange(double.Parse(probe.Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture), 3.5, 4.5);
        }
        finally
        {
            bash.Kill(entireProcessTree: true);
        }
    }

    private static string ReadmeBlock(string readme)
    {
        var start = readme.IndexOf("<!-- farm-walkthrough -->", StringComparison.Ordinal);
        var end = readme.IndexOf("<!-- /farm-walkthrough -->", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "the README has no farm walkthrough block");
        var fenced = readme[start..end];
        var open = fenced.IndexOf("```bash\n", StringComparison.Ordinal) + "```bash\n".Length;
        return fenced[open..fenced.LastIndexOf("```", StringComparison.Ordinal)];
    }

    private static string Logs(StringBuilder output, string farm)
    {
        var logs = new StringBuilder();
        lock (output)
        {
            logs.Append(output);
        }

        foreach (var log in Directory.EnumerateFiles(farm, "*.log"))
        {
            var text = File.ReadAllText(log);
            logs.Append("\n== ").Append(Path.GetFileName(log)).Append('\n').Append(text[^Math.Min(3000, text.Length)..]);
        }

        return logs.ToString();
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TranscodeFarm.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("not inside the repository");
    }
}
