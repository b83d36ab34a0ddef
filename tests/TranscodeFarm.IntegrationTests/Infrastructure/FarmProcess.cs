using System.Diagnostics;
using System.Text;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Queue;

namespace TranscodeFarm.IntegrationTests.Infrastructure;

/// <summary>
/// A real `transcodefarm run` process on a free loopback port with its own data directory, tuned for
/// tests (tiny ladder, short stability window and leases). Tests read its queue database directly.
/// </summary>
public sealed class FarmProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private Process? _process;

    public FarmProcess(string? dataDirectory = null)
    {
        DataDirectory = dataDirectory ?? Directory.CreateTempSubdirectory("transcodefarm-farm-").FullName;
        Port = Tools.FreePort();
        Queue = new SqliteJobQueue(Path.Combine(DataDirectory, "queue.db"), QueueClock.Database, new QueueOptions());
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string DataDirectory { get; }
    public int Port { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}";
    public string DropFolder => Path.Combine(DataDirectory, "drop");
    public string StoreFolder => Path.Combine(DataDirectory, "store");

    /// <summary>The newest generation folder of an asset in the filesystem store ("store/asset/g3"), where its objects are.</summary>
    public string AssetFolder(string assetId) => Path.Combine(StoreFolder, assetId, GenerationOf(assetId));

    /// <summary>"/vod/asset/g3/": an asset's objects through the edge (its root manifests are at "/vod/asset/").</summary>
    public string AssetPath(string assetId) => $"/vod/{assetId}/{GenerationOf(assetId)}/";

    private string GenerationOf(string assetId) =>
        Core.Assets.ObjectKeys.GenerationFolder(Directory.EnumerateDirectories(Path.Combine(StoreFolder, assetId))
            .Select(d => Core.Assets.ObjectKeys.TryParseGenerationFolder(Path.GetFileName(d), out var n) ? n : 0).Max());
    public IJobQueue Queue { get; }
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

    public int? Pid => _process?.Id;

    public static Dictionary<string, string> TestEnvironment(string dataDirectory) => new()
    {
        ["TRANSCODEFARM__Farm__DataDirectory"] = dataDirectory,
        ["TRANSCODEFARM__Farm__DefaultProfile"] = "test-tiny",
        ["TRANSCODEFARM__Ingest__StableFor"] = "00:00:00.300",
        ["TRANSCODEFARM__Ingest__ScanInterval"] = "00:00:00.200",
        ["TRANSCODEFARM__Worker__LeaseDuration"] = "00:00:04",
        ["TRANSCODEFARM__Worker__HeartbeatInterval"] = "00:00:01",
        ["TRANSCODEFARM__Worker__PollInterval"] = "00:00:00.200",
        ["TRANSCODEFARM__Worker__ShutdownGrace"] = "00:00:15",
        ["TRANSCODEFARM__Queue__RetryBaseDelay"] = "00:00:01",
        ["TRANSCODEFARM__Logging__Format"] = "json",
    };

    /// <param name="queueUrl">A PostgreSQL URL for farm mode; null for the embedded SQLite queue.</param>
    /// <param name="workerOnly">`transcodefarm worker --no-ingest` (a farm worker host) instead of `run`.</param>
    /// <param name="requireHealthy">Wait for /healthz to say 200; false waits only until the host answers at all.</param>
    public async Task StartAsync(IReadOnlyDictionary<string, string>? extraEnvironment = null, int slots = 1, string? queueUrl = null, bool workerOnly = false, bool requireHealthy = true)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        var args = new List<string> { Tools.CliDll };
        args.AddRange(workerOnly ? ["worker", "--no-ingest", "--metrics-url", BaseUrl] : ["run", "--url", BaseUrl]);
        args.AddRange(["--slots", slots.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        if (queueUrl is not null)
        {
            args.AddRange(["--queue", queueUrl]);
        }

        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in TestEnvironment(DataDirectory).Concat(extraEnvironment ?? new Dictionary<string, string>()))
        {
            psi.Environment[k] = v;
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
                throw new InvalidOperationException($"farm exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                var health = await Http.GetAsync(new Uri("/healthz", UriKind.Relative));
                if (health.IsSuccessStatusCode || !requireHealthy)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("farm did not become healthy:\n" + Output);
    }

    /// <summary>Copies a file into the drop folder the way a careful producer does: write "*.part", then rename.</summary>
    public string Drop(string source, string name)
    {
        Directory.CreateDirectory(DropFolder);
        var target = Path.Combine(DropFolder, name);
        File.Copy(source, target + ".part", overwrite: true);
        File.Move(target + ".part", target, overwrite: true);
        return target;
    }

    /// <summary>Waits for the job of a dropped file (by its original name) to reach a terminal state.</summary>
    public async Task<JobRecord> WaitForJobAsync(string sourceName, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < (timeout ?? TimeSpan.FromSeconds(90)))
        {
            var job = (await Queue.ListAsync(null, 500, CancellationToken.None)).FirstOrDefault(j => j.SourceName == sourceName);
            if (job is not null && job.State.IsTerminal())
            {
                return job;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"no finished job for '{sourceName}':\n{Output}");
    }

    /// <summary>Waits until a path appears (e.g. an error report for a rejected file).</summary>
    public static async Task WaitForFileAsync(string path, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        while (!File.Exists(path) && clock.Elapsed < (timeout ?? TimeSpan.FromSeconds(60)))
        {
            await Task.Delay(100);
        }

        Assert.True(File.Exists(path), $"{path} did not appear");
    }

    /// <summary>Waits until the farm's log holds <paramref name="text"/>: its output reaches the test a moment after it happens.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan? timeout = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(clock.Elapsed < (timeout ?? TimeSpan.FromSeconds(10)), $"the farm never logged '{text}':\n{Output}");
            await Task.Delay(50);
        }
    }

    public async Task<string> MetricsAsync() => await Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));

    /// <summary>SIGKILL: the process dies without any chance to clean up, like a machine losing power.</summary>
    public void Kill()
    {
        _process?.Kill(entireProcessTree: false);
        _process?.WaitForExit();
    }

    /// <summary>SIGTERM, as a service manager stops a host; returns the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        var p = _process!;
        await Tools.RunAsync("kill", ["-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        using var cts = new CancellationTokenSource(timeout);
        await p.WaitForExitAsync(cts.Token);
        return p.ExitCode;
    }

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
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}

/// <summary>One farm shared by the tests of a collection (starting one costs about a second).</summary>
public sealed class SharedFarm : IAsyncLifetime
{
    public FarmProcess Farm { get; } = new();

    public Task InitializeAsync() => Farm.StartAsync(slots: 2);

    public async Task DisposeAsync() => await Farm.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class SharedFarmCollection : ICollectionFixture<SharedFarm>
{
    public const string Name = "shared farm";
}
