using TranscodeFarm.Core.Caching;
using TranscodeFarm.Core.Caching.Policies;

namespace TranscodeFarm.Core.Tests.Caching;

/// <summary>The values a policy keeps, and every value that leaves handed back exactly once.</summary>
public sealed class PolicyCacheTests
{
    public static TheoryData<string> Policies => ["lru", "s3fifo", "wtinylfu"];

    private static PolicyCache<string> Cache(string policy, long capacity, List<(string, string)> removed) =>
        new(evicted => policy switch
        {
            "lru" => new LruPolicy<string>(capacity, evicted),
            "wtinylfu" => new WTinyLfuPolicy<string>(capacity, evicted),
            _ => new S3FifoPolicy<string>(capacity, evicted),
        }, (key, value) => removed.Add((key, value)));

    [Theory]
    [MemberData(nameof(Policies))]
    public void Every_value_that_leaves_is_handed_back_once_and_the_budget_holds(string policy)
    {
        var removed = new List<(string, string)>();
        var cache = Cache(policy, 1000, removed);
        var kept = new HashSet<string>();
        var refused = 0;
        for (var i = 0; i < 200; i++)
        {
            var key = $"k{i % 37}";
            if (!cache.TryGet(key, out _))
            {
                if (cache.Set(key, "v" + i, 90))
                {
                    kept.Add(key);
                }
                else
                {
                    refused++; // an admission filter may keep a newcomer out instead of evicting (W-TinyLFU)
                }
            }

            Assert.True(cache.SizeBytes <= 1000);
        }

        // Each value given to the cache either is still there or was handed back; none twice.
        Assert.Equal(removed.Count, removed.Distinct().Count());
        Assert.Equal(cache.Count, kept.Count(k => cache.TryGet(k, out _)));
        Assert.True(removed.Count + refused > 0, "37 objects of 90 bytes cannot all fit in 1000: something had to give");
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void Replacing_and_purging_hand_back_the_old_values(string policy)
    {
        var removed = new List<(string, string)>();
        var cache = Cache(policy, 1000, removed);
        Assert.True(cache.Set("a/1", "old", 10));
        Assert.True(cache.Set("a/1", "new", 10));
        Assert.Contains(("a/1", "old"), removed);
        Assert.True(cache.TryGet("a/1", out var value));
        Assert.Equal("new", value);

        cache.Set("a/2", "x", 10);
        cache.Set("b/1", "y", 10);
        Assert.Equal(2, cache.RemoveWhere(k => k.StartsWith("a/", StringComparison.Ordinal)));
        Assert.Contains(("a/1", "new"), removed);
        Assert.Contains(("a/2", "x"), removed);
        Assert.False(cache.TryGet("a/2", out _));
        Assert.True(cache.TryGet("b/1", out _));
        Assert.True(cache.Remove("b/1"));
        Assert.Contains(("b/1", "y"), removed);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void A_value_larger_than_the_budget_is_refused_and_stays_the_callers()
    {
        var removed = new List<(string, string)>();
        var cache = Cache("s3fifo", 100, removed);
        Assert.False(cache.Set("big", "v", 101));
        Assert.Empty(removed);
        Assert.False(cache.TryGet("big", out _));
    }

    [Fact]
    public void The_removal_callback_runs_outside_the_lock()
    {
        PolicyCache<int>? cache = null;
        var otherThreadGotIn = false;
        cache = new PolicyCache<int>(evicted => new LruPolicy<string>(10, evicted), (_, _) =>
        {
            // Another thread can use the cache from the callback: it would deadlock if the callback held the lock.
            var other = new Thread(() => cache!.TryGet("k2", out _));
            other.Start();
            otherThreadGotIn = other.Join(TimeSpan.FromSeconds(5));
        });
        cache.Set("k1", 1, 6);
        cache.Set("k2", 2, 6); // evicts k1

        Assert.True(otherThreadGotIn);
    }
}
