using TranscodeFarm.Core.Caching.Policies;

namespace TranscodeFarm.Core.Tests.Caching.Policies;

public class CachePoliciesTests
{
    [Fact]
    public void The_default_is_s3_fifo_as_decision_025_measured()
    {
        Assert.IsType<S3FifoPolicy<string>>(CachePolicies.CreateDefault<string>(1_000));
    }
}
