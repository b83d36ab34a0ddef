using TranscodeFarm.Core.Caching.Policies;

namespace TranscodeFarm.Core.Tests.Caching.Policies;

/// <summary>What every <see cref="ICachePolicy{TKey}"/> promises; each policy's test class derives from this one.</summary>
public abstract class CachePolicyContractTests
{
    protected abstract ICachePolicy<string> Create(long capacityBytes, Action<string>? evicted = null);

    /// <summary>The edge's protocol: a lookup, then an admission offer after a miss.</summary>
    private static bool Request(ICachePolicy<string> policy, string key, long size) =>
        policy.TryGet(key) || (policy.Admit(key, size) && false);

    [Fact]
    public void Never_exceeds_its_budget_and_reports_exactly_what_leaves()
    {
        var resident = new Dictionary<string, long>();
        var policy = Create(10_000, key => Assert.True(resident.Remove(key), $"evicted {key}, which was not resident"));
        var random = new Random(7);
        for (var i = 0; i < 20_000; i++)
        {
            var key = $"k{(int)(200 * Math.Pow(random.NextDouble(), 2))}"; // skewed: some keys come back often
            var size = 1 + (key.GetHashCode(StringComparison.Ordinal) & 0x7FF);
            if (random.Next(50) == 0)
            {
                Assert.Equal(resident.Remove(key), policy.Remove(key));
            }
            else if (!policy.TryGet(key))
            {
                Assert.False(resident.ContainsKey(key));
                if (policy.Admit(key, size))
                {
                    resident[key] = size;
                }
            }

            Assert.InRange(policy.SizeBytes, 0, policy.CapacityBytes);
            Assert.Equal(resident.Values.Sum(), policy.SizeBytes);
            Assert.Equal(resident.Count, policy.Count);
        }
    }

    [Fact]
    public void An_object_larger_than_the_budget_is_never_admitted()
    {
        var policy = Create(1_000);
        Assert.False(policy.Admit("huge", 1_001));
        Assert.False(policy.TryGet("huge"));
        Assert.Equal(0, policy.SizeBytes);
        Assert.Equal(0, policy.Count);
    }

    [Fact]
    public void A_zero_budget_admits_nothing_but_empty_objects()
    {
        var policy = Create(0);
        Assert.False(policy.Admit("a", 1));
        Assert.Equal(0, policy.SizeBytes);
    }

    [Fact]
    public void What_was_admitted_while_there_was_room_is_a_hit()
    {
        var policy = Create(1_000);
        foreach (var key in new[] { "a", "b", "c", "d", "e" })
        {
            Assert.False(policy.TryGet(key));
            Assert.True(policy.Admit(key, 100));
        }

        Assert.All(new[] { "a", "b", "c", "d", "e" }, key => Assert.True(policy.TryGet(key)));
        Assert.Equal(500, policy.SizeBytes);
    }

    [Fact]
    public void Admitting_a_resident_key_replaces_its_size()
    {
        var policy = Create(1_000);
        policy.Admit("a", 100);
        policy.Admit("a", 300);
        Assert.Equal(300, policy.SizeBytes);
        Assert.Equal(1, policy.Count);
    }

    [Fact]
    public void An_object_hit_since_admission_outlives_newcomers_that_come_once()
    {
        var evicted = new List<string>();
        var policy = Create(1_000, evicted.Add);
        for (var i = 0; i < 10; i++)
        {
            Request(policy, $"old{i}", 100);
        }

        Assert.True(policy.TryGet("old0")); // the oldest, but hit again
        for (var i = 0; i < 5; i++)
        {
            Request(policy, $"new{i}", 100);
        }

        Assert.DoesNotContain("old0", evicted);
        Assert.True(policy.TryGet("old0"));
        Assert.InRange(policy.SizeBytes, 900, 1_000);
    }

    [Fact]
    public void The_same_requests_give_the_same_hits_and_evictions()
    {
        static List<string> Run(Func<long, Action<string>?, ICachePolicy<string>> create)
        {
            var log = new List<string>();
            var policy = create(5_000, key => log.Add("-" + key));
            var random = new Random(3);
            for (var i = 0; i < 5_000; i++)
            {
                var key = $"k{random.Next(300)}";
                log.Add(Request(policy, key, 50 + random.Next(400)) ? "hit" : "miss");
            }

            return log;
        }

        Assert.Equal(Run(Create), Run(Create));
    }

    [Fact]
    public void Remove_forgets_without_reporting_an_eviction()
    {
        var evicted = new List<string>();
        var policy = Create(1_000, evicted.Add);
        policy.Admit("a", 100);
        Assert.True(policy.Remove("a"));
        Assert.False(policy.Remove("a"));
        Assert.False(policy.TryGet("a"));
        Assert.Equal(0, policy.SizeBytes);
        Assert.Empty(evicted);
    }
}
