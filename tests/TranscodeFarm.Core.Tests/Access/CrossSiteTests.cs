using TranscodeFarm.Core.Access;

namespace TranscodeFarm.Core.Tests.Access;

public class CrossSiteTests
{
    [Theory]
    [InlineData(null, null, "127.0.0.1:8080")] // curl, the CLI, scripts
    [InlineData("http://127.0.0.1:8080", "same-origin", "127.0.0.1:8080")]
    [InlineData("http://127.0.0.1:8080", null, "127.0.0.1:8080")]
    [InlineData(null, "none", "127.0.0.1:8080")] // typed in the address bar
    [InlineData("https://edge.example", null, "edge.example")] // TLS ends at a proxy that forwards the Host
    [InlineData("https://edge.example", null, "EDGE.example:443")]
    [InlineData("http://[::1]:8080", null, "[::1]:8080")]
    public void Same_origin_and_non_browser_requests_pass(string? origin, string? fetchSite, string host) =>
        Assert.Null(CrossSite.Refusal(origin, fetchSite, host));

    [Theory]
    [InlineData("https://evil.example", null, "127.0.0.1:8080", "Origin: https://evil.example")]
    [InlineData("http://127.0.0.1:9999", null, "127.0.0.1:8080", "Origin: http://127.0.0.1:9999")]
    [InlineData("https://127.0.0.1", null, "127.0.0.1:8080", "Origin")]
    [InlineData("null", null, "127.0.0.1:8080", "Origin: null")]
    [InlineData("http://127.0.0.1:8080/x", null, "127.0.0.1:8080", "Origin")]
    [InlineData(null, "cross-site", "127.0.0.1:8080", "Sec-Fetch-Site: cross-site")]
    [InlineData(null, "same-site", "127.0.0.1:8080", "Sec-Fetch-Site: same-site")]
    [InlineData("http://127.0.0.1:8080", "cross-site", "127.0.0.1:8080", "Sec-Fetch-Site")]
    public void Other_sites_are_refused_with_the_header_that_says_so(string? origin, string? fetchSite, string host, string reason)
    {
        var refusal = CrossSite.Refusal(origin, fetchSite, host);
        Assert.NotNull(refusal);
        Assert.StartsWith("cross-site request refused", refusal);
        Assert.Contains(reason, refusal);
    }
}
