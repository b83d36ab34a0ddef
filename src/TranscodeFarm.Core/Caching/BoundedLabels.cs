using System.Collections.Frozen;

namespace TranscodeFarm.Core.Caching;

/// <summary>
/// Bounded Prometheus label values for an unbounded key space (asset ids): the k keys that are popular now keep their
/// own label, every other key shares <see cref="Other"/>, so an edge exports at most k + 1 series per metric however
/// many assets it serves. A <see cref="TopKeys"/> sketch counts the traffic; <see cref="Refresh"/>, on a timer, picks
/// the new top set and halves the counts, so the set follows what is requested now rather than what was once popular.
/// </summary>
public sealed class BoundedLabels
{
    public const string Other = "other";

    /// <summary>Space-Saving counters per label: spare counters keep the estimates of the top keys close to exact.</summary>
    public const int CountersPerLabel = 8;

    private readonly TopKeys _sketch;
    private readonly Lock _refreshGate = new();

    // Replaced whole by Refresh, never changed: Label reads it without a lock.
    private volatile FrozenSet<string> _current = FrozenSet<string>.Empty;

    public BoundedLabels(int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        K = k;
        _sketch = new TopKeys(checked(k * CountersPerLabel));
    }

    public int K { get; }

    /// <summary>The keys that have their own label until the next <see cref="Refresh"/>.</summary>
    public IReadOnlySet<string> Current => _current;

    public void Observe(string key, long weight = 1) => _sketch.Observe(key, weight);

    /// <summary>The key itself when it is in the current top set, else <see cref="Other"/>. Lock-free, no allocation.</summary>
    public string Label(string key) => _current.Contains(key) ? key : Other;

    /// <summary>
    /// Recomputes the top set from the sketch, then halves the sketch's counts. Returns the keys that left the set,
    /// whose series the caller should remove (their traffic is counted under <see cref="Other"/> from now on).
    /// </summary>
    public IReadOnlyList<string> Refresh()
    {
        lock (_refreshGate)
        {
            // A key spelled "other" stays in the shared series: as a label of its own, leaving the set would remove it.
            var next = _sketch.Snapshot(K + 1)
                .Select(e => e.Key)
                .Where(key => !string.Equals(key, Other, StringComparison.Ordinal))
                .Take(K)
                .ToFrozenSet(StringComparer.Ordinal);
            _sketch.Decay();
            var left = _current.Where(key => !next.Contains(key)).Order(StringComparer.Ordinal).ToList();
            _current = next;
            return left;
        }
    }
}
