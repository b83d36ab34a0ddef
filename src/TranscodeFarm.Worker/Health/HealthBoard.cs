using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using TranscodeFarm.Core.Health;

namespace TranscodeFarm.Worker.Health;

/// <summary>
/// The last result of every registered check, written by <see cref="HealthMonitor"/> and read by <c>/healthz</c>: a request
/// costs a dictionary copy, never a check. Every registered check is named from the start ("not checked yet").
/// </summary>
public sealed class HealthBoard
{
    private readonly ConcurrentDictionary<string, CheckRecord> _records = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public HealthBoard(IOptions<HealthCheckServiceOptions> registrations, IOptions<HealthOptions> options, TimeProvider time)
    {
        _time = time;
        var o = options.Value;
        var longest = o.Timeout;
        foreach (var r in registrations.Value.Registrations)
        {
            _records[r.Name] = CheckRecord.NotYet;
            longest = TimeoutOf(r, o) > longest ? TimeoutOf(r, o) : longest;
        }

        StaleAfter = HealthSummary.StaleAfter(o.Interval, longest);
    }

    /// <summary>A result older than this counts as unhealthy (the check stopped reporting).</summary>
    public TimeSpan StaleAfter { get; }

    /// <summary>The registration's own timeout, else <see cref="HealthOptions.Timeout"/>.</summary>
    public static TimeSpan TimeoutOf(HealthCheckRegistration registration, HealthOptions options) =>
        registration.Timeout > TimeSpan.Zero ? registration.Timeout : options.Timeout;

    public void Record(string name, CheckRecord record) => _records[name] = record;

    public CheckRecord? Last(string name) => _records.TryGetValue(name, out var r) ? r : null;

    /// <summary>One check as <c>/healthz</c> shows it now (stale counts as unhealthy); null when no such check is registered.</summary>
    public CheckView? View(string name) => _records.TryGetValue(name, out var r) ? HealthSummary.View(r, _time.GetUtcNow(), StaleAfter) : null;

    public HealthSummary Summary() => HealthSummary.Of(_records, _time.GetUtcNow(), StaleAfter);
}
