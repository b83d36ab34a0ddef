using TranscodeFarm.Core.Caching.Policies;

namespace TranscodeFarm.Core.Tests.Caching.Policies;

public class WTinyLfuPolicyTests : CachePolicyContractTests
{
    protected override ICachePolicy<string> Create(long capacityBytes, Action<string>? evicted = null) =>
        new WTinyLfuPolicy<string>(capacityBytes, evicted);

    [Fact]
    public void A_full_main_refuses_a_newcomer_seen_less_often_than_its_victim()
    {
        var policy = Create(1_000);
        for (var i = 0; i < 10; i++)
        {
            policy.TryGet($"k{i}");
            policy.TryGet($"k{i}");
            policy.Admit($"k{i}", 99); // 990 bytes: main's 99% of the budget, full
        }

        Assert.False(policy.TryGet("once"));
        Assert.False(policy.Admit("once", 99));
        for (var i = 0; i < 5; i++)
        {
            policy.TryGet("popular");
        }

        Assert.True(policy.Admit("popular", 99));
        Assert.Equal(10, policy.Count);
    }

    [Fact]
    public void Weighs_bytes_a_big_object_seen_often_displaces_small_ones_seen_less()
    {
        var evicted = new List<string>();
        var policy = Create(1_000, evicted.Add);
        for (var i = 0; i < 10; i++)
        {
            policy.TryGet($"small{i}");
            policy.Admit($"small{i}", 99);
        }

        for (var i = 0; i < 3; i++)
        {
            policy.TryGet("big");
        }

        Assert.True(policy.Admit("big", 300)); // 3 × 300 > 1 × 99 × 4 victims
        Assert.Equal(4, evicted.Count);
    }
}
