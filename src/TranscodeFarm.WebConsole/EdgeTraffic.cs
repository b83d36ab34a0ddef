using Microsoft.Extensions.Hosting;
using TranscodeFarm.Edge;

namespace TranscodeFarm.WebConsole;

/// <summary>
/// The console's edge charts: this edge's own counters (<see cref="EdgeMetrics.Totals"/>) sampled every
/// <see cref="Interval"/>, the last ten minutes kept in memory. Each point is what happened in one interval, so a chart
/// needs no Prometheus; a restart starts the history again.
/// </summary>
public sealed class EdgeTraffic(TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    public const int Kept = 300;
    private readonly Queue<TrafficPoint> _points = new();
    private readonly Lock _lock = new();
    private EdgeTotals _last = EdgeMetrics.Totals();

    public IReadOnlyList<TrafficPoint> Points()
    {
        lock (_lock)
        {
            return [.. _points];
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            Sample();
        }
    }

    internal void Sample()
    {
        var now = EdgeMetrics.Totals();
        var point = new TrafficPoint(time.GetUtcNow(), now.Requests - _last.Requests, now.RequestsFromCache - _last.RequestsFromCache,
            now.Bytes - _last.Bytes, now.BytesFromCache - _last.BytesFromCache);
        _last = now;
        lock (_lock)
        {
            _points.Enqueue(point);
            while (_points.Count > Kept)
            {
                _points.Dequeue();
            }
        }
    }
}

/// <summary>One interval's media responses that needed an object and their body bytes, all and from cache.</summary>
public sealed record TrafficPoint(DateTimeOffset At, long Requests, long FromCache, long Bytes, long BytesFromCache);
