using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using TranscodeFarm.Core.Access;
using TranscodeFarm.Edge;

namespace TranscodeFarm.WebConsole;

/// <summary>
/// Who is signed in to the console. Sign-in takes the admin token (checked by <see cref="PlaybackAccess.IsAdminToken"/>,
/// the one admin check) and answers with a session cookie derived from it (<see cref="ConsoleSession"/>):
/// <c>HttpOnly; SameSite=Strict; Path=/console</c>, <c>Secure</c> over https. Every change also needs the session's CSRF
/// token (header or form field); cross-site requests never get this far (<see cref="ControlSurfaceGuard"/>).
/// </summary>
public sealed class ConsoleAuth(PlaybackAccess access, IOptions<EdgeOptions> options, TimeProvider time)
{
    private Derived? _derived;

    /// <summary>Off until Edge:AdminToken is set: there is nothing to sign in with.</summary>
    public bool Enabled => options.Value.AdminToken.Length > 0;

    /// <summary>The session's nonce when the request carries a valid console cookie; else null.</summary>
    public string? SessionOf(HttpRequest request) =>
        Enabled ? ConsoleSession.Verify(Key(), request.Cookies[ConsoleSession.CookieName], time.GetUtcNow()) : null;

    public string CsrfTokenFor(string session) => ConsoleSession.CsrfToken(Key(), session);

    /// <summary>Whether a change carries its session's CSRF token, in the header (scripts) or the form field (forms).</summary>
    public bool CsrfOk(HttpRequest request, string session, string? formField = null)
    {
        var given = request.Headers[ConsoleSession.CsrfHeader].ToString();
        return ConsoleSession.CsrfMatches(Key(), session, given.Length > 0 ? given : formField);
    }

    /// <summary>Signs in when <paramref name="token"/> is the admin token: sets the cookie and returns true.</summary>
    public bool SignIn(HttpContext context, string token)
    {
        if (!access.IsAdminToken(token))
        {
            return false;
        }

        var nonce = RandomNumberGenerator.GetBytes(16);
        var cookie = ConsoleSession.Issue(Key(), time.GetUtcNow(), nonce);
        context.Response.Cookies.Append(ConsoleSession.CookieName, cookie, Cookie(context, ConsoleSession.Lifetime));
        return true;
    }

    public void SignOut(HttpContext context) =>
        context.Response.Cookies.Delete(ConsoleSession.CookieName, Cookie(context, TimeSpan.Zero));

    private static CookieOptions Cookie(HttpContext context, TimeSpan maxAge) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = "/console",
        MaxAge = maxAge,
        IsEssential = true,
    };

    /// <summary>Derived once per admin token (options may be reloaded); one reference, so a reader never mixes two tokens.</summary>
    private byte[] Key()
    {
        var token = options.Value.AdminToken;
        var derived = _derived;
        if (derived is null || !string.Equals(derived.Token, token, StringComparison.Ordinal))
        {
            derived = new Derived(token, ConsoleSession.KeyFor(token));
            _derived = derived;
        }

        return derived.Key;
    }

    private sealed record Derived(string Token, byte[] Key);
}
