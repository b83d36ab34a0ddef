using TranscodeFarm.Core.Caching.Policies;

namespace TranscodeFarm.Core.Tests.Caching.Policies;

public class LruPolicyTests : CachePolicyContractTests
{
    protected override ICachePolicy<string> Create(long capacityBytes, Action<string>? evicted = null) =>
        new LruPolicy<string>(capacityBytes, evicted);

    [Fact]
    public void Evicts_the_least_recently_used_first()
    {
        var evicted = new List<string>();
        var policy = Create(300, evicted.Add);
        policy.Admit("a", 100);
        policy.Admit("b", 100);
        policy.Admit("c", 100);
        policy.TryGet("a");
        policy.Admit("d", 150);
        Assert.Equal(["b", "c"], evicted);
    }
}
