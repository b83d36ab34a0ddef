using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace TranscodeFarm.IntegrationTests.Infrastructure;

/// <summary>A real `transcodefarm edge` process on a free loopback port, with its own data directory unless given one.</summary>
public sealed class EdgeProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private Process? _process;

    public EdgeProcess(string? dataDirectory = null)
    {
        DataDirectory = dataDirectory ?? Directory.CreateTempSubdirectory("transcodefarm-edge-").FullName;
        Port = Tools.FreePort();
        Http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1000, UseCookies = false })
        {
            BaseAddress = new Uri(BaseUrl),
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public string DataDirectory { get; }
    public int Port { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}";
    public HttpClient Http { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <param name="origin">Edge:Origin (an HTTP origin); null: the store of the data directory.</param>
    public async Task StartAsync(string? origin, IReadOnlyDictionary<string, string>? settings = null, string? queueUrl = null)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Tools.CliDll, "edge", "--url", BaseUrl, "--data-dir", DataDirectory })
        {
            psi.ArgumentList.Add(a);
        }

        if (origin is not null)
        {
            psi.ArgumentList.Add("--origin");
            psi.ArgumentList.Add(origin);
        }

        if (queueUrl is not null)
        {
            psi.ArgumentList.Add("--queue");
            psi.ArgumentList.Add(queueUrl);
        }

        psi.Environment["TRANSCODEFARM__Logging__Format"] = "json";
        foreach (var (k, v) in settings ?? new Dictionary<string, string>())
        {
            // "env:NAME" is a raw environment variable (the runtime's own settings); anything else a farm setting.
            psi.Environment[k.StartsWith("env:", StringComparison.Ordinal) ? k["env:".Length..] : "TRANSCODEFARM__" + k.Replace(":", "__", StringComparison.Ordinal)] = v;
        }

        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"edge exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var _ = await Http.GetAsync(new Uri("/healthz", UriKind.Relative));
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException("edge did not start:\n" + Output);
    }

    /// <summary>Peak resident memory of the edge process so far (VmHWM), in bytes.</summary>
    public long PeakRssBytes() => StatusKb("VmHWM:") * 1024;

    public long RssBytes() => StatusKb("VmRSS:") * 1024;

    private long StatusKb(string field)
    {
        var line = File.ReadLines($"/proc/{_process!.Id}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    public async Task<string> MetricsAsync() => await Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        Http.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
