using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TranscodeFarm.Core.Health;
using TranscodeFarm.IntegrationTests.Infrastructure;
using TranscodeFarm.Storage;
using TranscodeFarm.Worker.Health;

namespace TranscodeFarm.IntegrationTests;

/// <summary>The checks behind /healthz, without a host: what they cost and how a slow or failing one is recorded.</summary>
public sealed class HealthCheckTests
{
    [Fact]
    public async Task The_store_check_never_lists_a_store_with_many_objects()
    {
        var store = new CountingStore(objects: 100_000);
        foreach (var checkedStore in new IObjectStore[] { store, new ResilientObjectStore(store, 6, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(1)) })
        {
            var result = await new StoreHealthCheck(checkedStore).CheckHealthAsync(new HealthCheckContext());
            Assert.Equal(HealthStatus.Healthy, result.Status);
        }

        Assert.Equal(0, store.Listed);
        Assert.Equal(2, store.Heads); // one request per check
    }

    [Fact]
    public async Task The_store_check_names_a_missing_store_folder()
    {
        var root = Directory.CreateTempSubdirectory("transcodefarm-health-").FullName;
        var store = new FileSystemObjectStore(Path.Combine(root, "store"), TimeProvider.System);
        await store.PutAsync("a/seg-0-00001.m4s", new MemoryStream(new byte[10]), new ObjectProperties("video/iso.segment", "max-age=1"), default);
        Assert.Equal(HealthStatus.Healthy, (await new StoreHealthCheck(store).CheckHealthAsync(new HealthCheckContext())).Status);
        Directory.Delete(Path.Combine(root, "store"), recursive: true);
        var down = await new StoreHealthCheck(store).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, down.Status);
        Assert.Contains("object store unreachable", down.Description);
        Assert.Contains(Path.Combine(root, "store"), down.Description);
    }

    [Fact]
    public async Task A_hung_check_times_out_a_throwing_one_reports_its_message_and_both_are_recorded()
    {
        var time = new ManualTime(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddHealthChecks()
            .AddCheck("hung", new HungCheck(), timeout: TimeSpan.FromMilliseconds(200))
            .AddCheck("throws", new ThrowingCheck(), failureStatus: HealthStatus.Degraded);
        using var provider = services.BuildServiceProvider();
        var registrations = provider.GetRequiredService<IOptions<HealthCheckServiceOptions>>();
        var options = Options.Create(new HealthOptions { Interval = TimeSpan.FromSeconds(5), Timeout = TimeSpan.FromSeconds(3) });
        var board = new HealthBoard(registrations, options, time);
        Assert.Equal(TimeSpan.FromSeconds(18), board.StaleAfter); // the longest timeout (3 s) plus three intervals
        Assert.All(board.Summary().Checks.Values, c => Assert.Equal("not checked yet", c.Reason));

        var monitor = new HealthMonitor(provider.GetRequiredService<IServiceScopeFactory>(), registrations, options, board, time, NullLogger<HealthMonitor>.Instance);
        var byName = registrations.Value.Registrations.ToDictionary(r => r.Name);
        var hung = await monitor.RunOnceAsync(byName["hung"], TimeSpan.FromMilliseconds(200), default);
        Assert.Equal(CheckStatus.Unhealthy, hung.Status);
        Assert.Equal("timed out after 0.2 s", hung.Reason);
        var thrown = await monitor.RunOnceAsync(byName["throws"], TimeSpan.FromSeconds(3), default);
        Assert.Equal(CheckStatus.Degraded, thrown.Status); // the registration's failure status
        Assert.Equal("disk on fire", thrown.Reason);

        board.Record("hung", hung);
        board.Record("throws", thrown);
        Assert.Equal(CheckStatus.Unhealthy, board.Summary().Status);
        time.Advance(TimeSpan.FromSeconds(40));
        Assert.StartsWith("stale: last checked 40 s ago", board.Summary().Checks["throws"].Reason);
    }

    private sealed class HungCheck : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return HealthCheckResult.Healthy();
        }
    }

    private sealed class ThrowingCheck : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("disk on fire");
    }

    /// <summary>A store that claims to hold many objects and counts what a caller asks of it.</summary>
    private sealed class CountingStore(int objects) : IObjectStore
    {
        private int _listed;
        private int _heads;

        public int Listed => _listed;
        public int Heads => _heads;
        public string Describe => "counting://";

        public Task<ObjectInfo?> HeadAsync(string key, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _heads);
            return Task.FromResult<ObjectInfo?>(null);
        }

        public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            for (var i = 0; i < objects; i++)
            {
                Interlocked.Increment(ref _listed);
                yield return new ObjectInfo($"a{i}/seg-0-00001.m4s", 1, "\"x\"", "video/iso.segment", "max-age=1", DateTimeOffset.UnixEpoch);
            }

            await Task.CompletedTask;
        }

        public Task<ObjectInfo> PutAsync(string key, Stream content, ObjectProperties properties, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ObjectContent?> GetAsync(string key, ByteRange? range, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
