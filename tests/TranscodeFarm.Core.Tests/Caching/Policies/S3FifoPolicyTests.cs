using TranscodeFarm.Core.Caching.Policies;

namespace TranscodeFarm.Core.Tests.Caching.Policies;

public class S3FifoPolicyTests : CachePolicyContractTests
{
    protected override ICachePolicy<string> Create(long capacityBytes, Action<string>? evicted = null) =>
        new S3FifoPolicy<string>(capacityBytes, evicted);

    [Fact]
    public void A_key_evicted_from_small_that_comes_back_goes_to_main_and_survives_a_scan()
    {
        var evicted = new List<string>();
        var policy = Create(1_000, evicted.Add);
        for (var i = 0; i < 11; i++)
        {
            policy.Admit($"k{i}", 100); // the 11th pushes k0 out of small into the ghost
        }

        Assert.Equal(["k0"], evicted);
        Assert.True(policy.Admit("k0", 100)); // remembered by the ghost: straight to main
        for (var i = 0; i < 30; i++)
        {
            policy.Admit($"scan{i}", 100);
        }

        Assert.True(policy.TryGet("k0"));
    }

    [Fact]
    public void Main_gives_an_object_hit_since_its_last_pass_another_round()
    {
        var evicted = new List<string>();
        var policy = Create(1_000, evicted.Add);
        for (var i = 0; i < 10; i++)
        {
            policy.Admit($"k{i}", 100);
            policy.TryGet($"k{i}"); // hit in small: all move to main when small overflows
        }

        for (var i = 0; i < 10; i++)
        {
            policy.Admit($"n{i}", 100); // once-only newcomers: the first pushes k0 out of main, the rest pass through small
        }

        Assert.True(policy.TryGet("k1")); // main's oldest now, hit again
        policy.Admit("n0", 100); // remembered by the ghost: to main, making room from small
        policy.Admit("n1", 100); // to main again, now making room from main: k1 goes round, k2 leaves

        Assert.True(policy.TryGet("k1"));
        Assert.Equal(["k0", "k2"], evicted.Where(k => k.StartsWith('k')));
    }
}
