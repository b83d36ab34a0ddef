using TranscodeFarm.Core.Access;

namespace TranscodeFarm.Core.Tests.Access;

public class ConsoleSessionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 4, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Nonce = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();
    private static readonly byte[] Key = ConsoleSession.KeyFor("admin-token-1");

    [Fact]
    public void An_issued_cookie_verifies_until_it_expires_and_never_holds_the_token()
    {
        var cookie = ConsoleSession.Issue(Key, Now, Nonce);
        Assert.DoesNotContain("admin-token-1", cookie, StringComparison.Ordinal);
        var nonce = ConsoleSession.Verify(Key, cookie, Now.AddHours(1));
        Assert.NotNull(nonce);
        Assert.Null(ConsoleSession.Verify(Key, cookie, Now + ConsoleSession.Lifetime));
        Assert.Null(ConsoleSession.Verify(Key, cookie, Now.AddMinutes(-10))); // issued well in the future
        Assert.NotNull(ConsoleSession.Verify(Key, cookie, Now.AddMinutes(-2))); // another edge's clock, a little behind
    }

    [Fact]
    public void A_new_admin_token_signs_everyone_out()
    {
        var cookie = ConsoleSession.Issue(Key, Now, Nonce);
        Assert.Null(ConsoleSession.Verify(ConsoleSession.KeyFor("admin-token-2"), cookie, Now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("1.2.3.4")]
    [InlineData("-5.AQIDBAUGBwgJCgsMDQ4PEA.x")]
    public void Malformed_cookies_are_refused(string? cookie) => Assert.Null(ConsoleSession.Verify(Key, cookie, Now));

    [Fact]
    public void A_tampered_cookie_is_refused()
    {
        var cookie = ConsoleSession.Issue(Key, Now, Nonce);
        var parts = cookie.Split('.');
        // Claims to be issued later (to live longer) with the old MAC.
        Assert.Null(ConsoleSession.Verify(Key, $"{long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) + 3600}.{parts[1]}.{parts[2]}", Now));
        Assert.Null(ConsoleSession.Verify(Key, $"{parts[0]}.{parts[1]}.{parts[2][..^2]}AA", Now));
    }

    [Fact]
    public void The_csrf_token_belongs_to_one_session()
    {
        var nonce = ConsoleSession.Verify(Key, ConsoleSession.Issue(Key, Now, Nonce), Now)!;
        var other = ConsoleSession.Verify(Key, ConsoleSession.Issue(Key, Now, Enumerable.Repeat((byte)7, 16).ToArray()), Now)!;
        var csrf = ConsoleSession.CsrfToken(Key, nonce);
        Assert.True(ConsoleSession.CsrfMatches(Key, nonce, csrf));
        Assert.False(ConsoleSession.CsrfMatches(Key, other, csrf));
        Assert.False(ConsoleSession.CsrfMatches(Key, nonce, ""));
        Assert.False(ConsoleSession.CsrfMatches(Key, nonce, null));
        Assert.False(ConsoleSession.CsrfMatches(ConsoleSession.KeyFor("admin-token-2"), nonce, csrf));
    }

    [Fact]
    public void A_short_nonce_is_refused() =>
        Assert.Throws<ArgumentException>(() => ConsoleSession.Issue(Key, Now, new byte[8]));

    [Theory]
    [InlineData("/console/jobs", "/console/jobs")]
    [InlineData("/console/assets/a1", "/console/assets/a1")]
    [InlineData("/console", "/console")]
    [InlineData("//evil.example/console/", "/console/jobs")]
    [InlineData("https://evil.example/console", "/console/jobs")]
    [InlineData("/console//evil.example", "/console/jobs")]
    [InlineData("/console/\\evil", "/console/jobs")]
    [InlineData("/consolex", "/console/jobs")]
    [InlineData("/admin/purge", "/console/jobs")]
    [InlineData(null, "/console/jobs")]
    public void Sign_in_returns_only_to_a_console_path(string? next, string expected) =>
        Assert.Equal(expected, ConsoleSession.SafeReturnPath(next));
}
