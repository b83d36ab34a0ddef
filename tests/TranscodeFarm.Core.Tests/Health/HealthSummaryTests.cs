using TranscodeFarm.Core.Health;

namespace TranscodeFarm.Core.Tests.Health;

public class HealthSummaryTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan StaleAfter = HealthSummary.StaleAfter(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(3));

    private static HealthSummary Of(params (string Name, CheckRecord Record)[] records) =>
        HealthSummary.Of(records.Select(r => KeyValuePair.Create(r.Name, r.Record)), Now, StaleAfter);

    private static CheckRecord Ago(CheckStatus status, string reason, double seconds) => new(status, reason, Now - TimeSpan.FromSeconds(seconds));

    [Fact]
    public void Stale_after_is_the_timeout_plus_three_intervals() =>
        Assert.Equal(TimeSpan.FromSeconds(18), StaleAfter);

    [Fact]
    public void The_farm_is_as_healthy_as_its_worst_check()
    {
        Assert.Equal(CheckStatus.Healthy, Of(("store", Ago(CheckStatus.Healthy, "ok", 1)), ("database", Ago(CheckStatus.Healthy, "ok", 2))).Status);
        var degraded = Of(("store", Ago(CheckStatus.Healthy, "ok", 1)), ("database", Ago(CheckStatus.Degraded, "slow", 2)));
        Assert.Equal(CheckStatus.Degraded, degraded.Status);
        Assert.True(degraded.Serving);
        var down = Of(("store", Ago(CheckStatus.Unhealthy, "object store unreachable: refused", 1)), ("database", Ago(CheckStatus.Degraded, "slow", 2)));
        Assert.Equal(CheckStatus.Unhealthy, down.Status);
        Assert.False(down.Serving);
        Assert.Equal("object store unreachable: refused", down.Checks["store"].Reason);
        Assert.Equal(1.0, down.Checks["store"].CheckedAgoSeconds);
    }

    [Fact]
    public void A_result_older_than_stale_after_is_unhealthy_and_says_how_old_it_is()
    {
        var summary = Of(("store", Ago(CheckStatus.Healthy, "file:///data/store", 40)), ("database", Ago(CheckStatus.Healthy, "ok", 17.9)));
        Assert.Equal(CheckStatus.Unhealthy, summary.Status);
        var store = summary.Checks["store"];
        Assert.Equal(CheckStatus.Unhealthy, store.Status);
        Assert.StartsWith("stale: last checked 40 s ago", store.Reason);
        Assert.Contains("file:///data/store", store.Reason);
        Assert.Equal(40, store.CheckedAgoSeconds);
        Assert.Equal(CheckStatus.Healthy, summary.Checks["database"].Status); // just inside the limit
    }

    [Fact]
    public void A_check_that_never_ran_is_named_and_unhealthy()
    {
        var summary = Of(("store", CheckRecord.NotYet), ("database", Ago(CheckStatus.Healthy, "ok", 0)));
        Assert.Equal(CheckStatus.Unhealthy, summary.Status);
        Assert.Equal("not checked yet", summary.Checks["store"].Reason);
        Assert.Null(summary.Checks["store"].CheckedAgoSeconds);
    }

    [Fact]
    public void No_checks_is_healthy_and_a_result_from_the_future_is_zero_seconds_old()
    {
        Assert.Equal(CheckStatus.Healthy, Of().Status);
        Assert.Equal(0, Of(("x", Ago(CheckStatus.Healthy, "ok", -3))).Checks["x"].CheckedAgoSeconds);
    }

    [Theory]
    [InlineData(CheckStatus.Healthy, "healthy")]
    [InlineData(CheckStatus.Degraded, "degraded")]
    [InlineData(CheckStatus.Unhealthy, "unhealthy")]
    public void Status_names_are_lower_case_words(CheckStatus status, string name) => Assert.Equal(name, HealthSummary.Name(status));
}
