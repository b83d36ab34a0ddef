using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using TranscodeFarm.Core.Drm;
using TranscodeFarm.Keys;

namespace TranscodeFarm.Edge;

/// <summary>
/// Who may fetch what: the one playback token scheme (asset, expiry, optional client IP) for media and keys, read from
/// the query (<c>token</c>), the <c>tf_token</c> cookie or <c>Authorization: Bearer</c>; the shared edge credential of a
/// child edge; the admin token (control surfaces: /admin/*, /api/match, the /console sign-in) and the match-only token. Every comparison is
/// constant-time.
/// </summary>
public sealed class PlaybackAccess(DrmSecrets secrets, IOptions<EdgeOptions> options, TimeProvider time)
{
    public const string Cookie = "tf_token";

    /// <summary>The token a request carries, or "".</summary>
    public static string TokenOf(HttpRequest request)
    {
        if (request.Query["token"].ToString() is { Length: > 0 } query)
        {
            return query;
        }

        if (request.Cookies[Cookie] is { Length: > 0 } cookie)
        {
            return cookie;
        }

        return BearerOf(request);
    }

    public static string BearerOf(HttpRequest request) =>
        request.Headers.Authorization.ToString() is { } auth && auth.StartsWith("Bearer ", StringComparison.Ordinal) ? auth["Bearer ".Length..] : "";

    /// <summary>Checks the request's token for <paramref name="assetId"/> (bound to the client's address when the token says so).</summary>
    /// <exception cref="InvalidOperationException">No token signing key is configured.</exception>
    public TokenCheck Check(HttpContext context, string assetId) =>
        PlaybackToken.Verify(TokenOf(context.Request), assetId, time.GetUtcNow(), secrets.TokenSigningKey, context.Connection.RemoteIpAddress);

    /// <summary>A child edge presenting the farm's shared credential.</summary>
    public bool IsShieldRequest(HttpRequest request) =>
        options.Value.ShieldCredential.Length > 0
        && request.Headers[EdgeHeaders.Credential].ToString() is { Length: > 0 } given
        && Same(given, options.Value.ShieldCredential);

    /// <summary>True when an admin token is configured and the request's bearer token equals it.</summary>
    public bool IsAdmin(HttpRequest request) => IsAdminToken(BearerOf(request));

    /// <summary>True when an admin token is configured and <paramref name="given"/> equals it: the one admin check, for the
    /// bearer of /admin/* and /api/match and for the web console's sign-in.</summary>
    public bool IsAdminToken(string given) => options.Value.AdminToken.Length > 0 && Same(given, options.Value.AdminToken);

    /// <summary>Null when the request may use the match API (<c>Edge:OpenMatch</c>, or the admin or match token as bearer);
    /// else why not.</summary>
    public string? RefuseMatch(HttpRequest request)
    {
        var o = options.Value;
        if (o.OpenMatch || IsAdmin(request) || (o.MatchApiToken.Length > 0 && Same(BearerOf(request), o.MatchApiToken)))
        {
            return null;
        }

        return o.AdminToken.Length == 0 && o.MatchApiToken.Length == 0
            ? "the match API is closed: set Edge:AdminToken (or Edge:MatchApiToken) and send it as Authorization: Bearer, or open it with Edge:OpenMatch=true"
            : "the match API needs Authorization: Bearer <Edge:AdminToken> (or <Edge:MatchApiToken>)";
    }

    internal static bool Same(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
