using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TranscodeFarm.Core.Health;
using TranscodeFarm.Storage;
using TranscodeFarm.Worker;
using TranscodeFarm.Worker.Health;
using TranscodeFarm.Worker.Jobs;

namespace TranscodeFarm.IntegrationTests;

/// <summary>The claim gate and the store-write check without a host: claims wait for a writable store, said once per change.</summary>
public sealed class ClaimGateTests
{
    [Fact]
    public async Task Claims_wait_while_store_write_is_unhealthy_and_pause_and_resume_are_logged_once()
    {
        var services = new ServiceCollection();
        services.AddHealthChecks().AddCheck(StoreWriteHealthCheck.Name, () => HealthCheckResult.Healthy());
        using var provider = services.BuildServiceProvider();
        var options = Options.Create(new HealthOptions { Interval = TimeSpan.FromMilliseconds(100) });
        var board = new HealthBoard(provider.GetRequiredService<IOptions<HealthCheckServiceOptions>>(), options, TimeProvider.System);
        var log = new ListLogger<ClaimGate>();
        var gate = new ClaimGate(board, new WorkerIdentity(), options, TimeProvider.System, log);

        var first = gate.WaitOpenAsync(default); // "not checked yet": waits, says nothing
        var second = gate.WaitOpenAsync(default); // another slot
        await Task.Delay(300);
        Assert.False(first.IsCompleted);
        Assert.Empty(log.Lines);

        board.Record(StoreWriteHealthCheck.Name, new CheckRecord(CheckStatus.Unhealthy, "cannot publish: write failed: NoSuchBucket", TimeProvider.System.GetUtcNow()));
        await Task.Delay(400);
        Assert.False(first.IsCompleted || second.IsCompleted);
        Assert.Equal("claims no jobs until the store can be written (store-write unhealthy: cannot publish: write failed: NoSuchBucket)", Assert.Single(log.Lines)[(log.Lines[0].IndexOf(" claims", StringComparison.Ordinal) + 1)..]);
        Assert.Equal(0, WorkerMetrics.Claiming.Value);

        board.Record(StoreWriteHealthCheck.Name, new CheckRecord(CheckStatus.Healthy, "ok", TimeProvider.System.GetUtcNow()));
        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(5));
        await gate.WaitOpenAsync(default).WaitAsync(TimeSpan.FromSeconds(1)); // open: at once
        Assert.Equal(2, log.Lines.Count);
        Assert.EndsWith("claims jobs again: store-write is healthy", log.Lines[1], StringComparison.Ordinal);
        Assert.Equal(1, WorkerMetrics.Claiming.Value);
    }

    [Fact]
    public async Task The_store_write_check_puts_reads_back_and_deletes_its_probe_and_names_the_failing_step()
    {
        var root = Directory.CreateTempSubdirectory("transcodefarm-store-write-").FullName;
        var store = new FileSystemObjectStore(Path.Combine(root, "store"), TimeProvider.System);
        var identity = new WorkerIdentity();
        var check = new StoreWriteHealthCheck(store, Options.Create(new StoreOptions()), identity, new ListLogger<StoreWriteHealthCheck>());
        var healthy = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.Contains("_farm/healthz/", healthy.Description);
        Assert.DoesNotContain(Directory.EnumerateFiles(Path.Combine(root, "store"), "*", SearchOption.AllDirectories),
            f => !f.Contains("/.meta/", StringComparison.Ordinal) && !f.Contains("/.tmp/", StringComparison.Ordinal)); // the probe is gone

        File.WriteAllText(Path.Combine(root, "blocker"), "");
        var blocked = new FileSystemObjectStore(Path.Combine(root, "store2"), TimeProvider.System);
        Directory.Delete(Path.Combine(root, "store2"), recursive: true);
        File.Move(Path.Combine(root, "blocker"), Path.Combine(root, "store2")); // a file where the folder should be
        var down = await new StoreWriteHealthCheck(blocked, Options.Create(new StoreOptions()), identity, new ListLogger<StoreWriteHealthCheck>()).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, down.Status);
        Assert.StartsWith("cannot publish: write failed: ", down.Description, StringComparison.Ordinal);
    }

    private sealed class ListLogger<T> : ILogger<T>
    {
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lines)
            {
                _lines.Add(formatter(state, exception));
            }
        }
    }
}
