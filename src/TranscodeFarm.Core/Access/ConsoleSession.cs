using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace TranscodeFarm.Core.Access;

/// <summary>
/// The web console's sign-in, kept without server state so every edge that shares <c>Edge:AdminToken</c> accepts it: the
/// cookie is "issued.nonce.mac", the MAC an HMAC-SHA256 under a key derived from the admin token (the token itself never
/// sits in the browser); changing the token signs everyone out. Each session's CSRF token is another HMAC of its nonce,
/// so a page of another site, which cannot read the cookie, cannot forge it. Every comparison is constant-time.
/// </summary>
public static class ConsoleSession
{
    public const string CookieName = "tf_console";
    public const string CsrfHeader = "X-Console-Csrf";
    public const string CsrfField = "csrf";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    /// <summary>Clocks of several edges may differ this much: a cookie issued "in the future" by that much still holds.</summary>
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);

    /// <summary>The key every console MAC is made with, derived from the admin token (never the token itself).</summary>
    public static byte[] KeyFor(string adminToken) =>
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(adminToken), "transcodefarm console session v1"u8);

    /// <summary>A new session's cookie value; <paramref name="nonce"/> is 16 or more random bytes.</summary>
    public static string Issue(ReadOnlySpan<byte> key, DateTimeOffset now, ReadOnlySpan<byte> nonce)
    {
        if (nonce.Length < 16)
        {
            throw new ArgumentException("a session nonce needs at least 16 random bytes", nameof(nonce));
        }

        var body = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + "." + Base64Url(nonce);
        return body + "." + Mac(key, "session." + body);
    }

    /// <summary>The session's nonce when the cookie is one this key issued and it has not expired; else null.</summary>
    public static string? Verify(ReadOnlySpan<byte> key, string? cookie, DateTimeOffset now)
    {
        var parts = (cookie ?? "").Split('.');
        if (parts.Length != 3 || parts[0].Length is 0 or > 12 || parts[1].Length is < 22 or > 64
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var issuedSeconds))
        {
            return null;
        }

        if (!Same(parts[2], Mac(key, "session." + parts[0] + "." + parts[1])))
        {
            return null;
        }

        var issued = DateTimeOffset.FromUnixTimeSeconds(Math.Min(issuedSeconds, 253402300799));
        return issued - Skew <= now && now < issued + Lifetime ? parts[1] : null;
    }

    /// <summary>The CSRF token of the session with this nonce: the page sends it back with every change.</summary>
    public static string CsrfToken(ReadOnlySpan<byte> key, string nonce) => Mac(key, "csrf." + nonce);

    /// <summary>Whether <paramref name="given"/> is the CSRF token of the session with this nonce.</summary>
    public static bool CsrfMatches(ReadOnlySpan<byte> key, string nonce, string? given) =>
        given is { Length: > 0 } && Same(given, CsrfToken(key, nonce));

    /// <summary>Where to go after signing in: a path of the console only, never another site ("//evil", "/\evil").</summary>
    public static string SafeReturnPath(string? next) =>
        next is { Length: > 0 and <= 200 } n && (n == "/console" || n.StartsWith("/console/", StringComparison.Ordinal))
        && !n.Contains("//", StringComparison.Ordinal) && !n.Contains('\\', StringComparison.Ordinal) && n.All(c => c > ' ' && c < 0x7f)
            ? n
            : "/console/jobs";

    private static string Mac(ReadOnlySpan<byte> key, string message) => Base64Url(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(message)));

    private static bool Same(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));

    private static string Base64Url(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
