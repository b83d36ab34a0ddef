using TranscodeFarm.Core.Access;

namespace TranscodeFarm.Core.Tests.Access;

public class HostAllowListTests
{
    [Theory]
    [InlineData("localhost", true)]
    [InlineData("LOCALHOST", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("[::1]", true)]
    [InlineData("edge.internal", true)]
    [InlineData("edge.internal.", true)]
    [InlineData("evil.example", false)]
    [InlineData("", false)]
    [InlineData("127.0.0.2", false)]
    public void Default_is_the_listen_host_and_the_loopback_names(string host, bool allowed) =>
        Assert.Equal(allowed, HostAllowList.Of("", "http://edge.internal:8080").Allows(host));

    [Fact]
    public void A_wildcard_listen_address_adds_nothing()
    {
        var hosts = HostAllowList.Of("", "http://0.0.0.0:8080");
        Assert.Equal(["127.0.0.1", "[::1]", "localhost"], hosts.Hosts.Order(StringComparer.Ordinal));
        Assert.False(hosts.Allows("0.0.0.0"));
    }

    [Fact]
    public void An_ipv6_listen_address_is_allowed_in_brackets() =>
        Assert.True(HostAllowList.Of("", "http://[fd00::5]:8080").Allows("[fd00::5]"));

    [Fact]
    public void A_configured_list_replaces_the_default()
    {
        var hosts = HostAllowList.Of("edge.example.com, cdn.example.com;admin.internal", "http://127.0.0.1:8080");
        Assert.True(hosts.Allows("cdn.example.com"));
        Assert.True(hosts.Allows("admin.internal"));
        Assert.False(hosts.Allows("127.0.0.1"));
        Assert.False(hosts.AllowsAny);
    }

    [Fact]
    public void A_star_allows_any_host() => Assert.True(HostAllowList.Of("*", "http://127.0.0.1:8080").Allows("whatever.example"));

    [Theory]
    [InlineData("", null)]
    [InlineData("edge.example, [::1], 10.0.0.5, *", null)]
    [InlineData("http://edge.example/", "http://edge.example/")]
    [InlineData("edge.example, bad host", "bad host")]
    public void Invalid_entries_are_named(string configured, string? invalid) => Assert.Equal(invalid, HostAllowList.Invalid(configured));
}
