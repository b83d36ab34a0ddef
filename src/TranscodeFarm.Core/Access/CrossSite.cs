namespace TranscodeFarm.Core.Access;

/// <summary>
/// Whether a request to a control surface comes from a web page of another site. Browsers say so themselves: a
/// <c>Sec-Fetch-Site</c> other than <c>same-origin</c> or <c>none</c>, or an <c>Origin</c> that is not the origin the
/// request was sent to. Tools (curl, the CLI, scripts) send neither and pass.
/// </summary>
public static class CrossSite
{
    /// <summary>Null when the request may go on; else the one-line reason it is refused.</summary>
    /// <param name="origin">The <c>Origin</c> header, or null.</param>
    /// <param name="fetchSite">The <c>Sec-Fetch-Site</c> header, or null.</param>
    /// <param name="host">The request's <c>Host</c> header (name and optional port).</param>
    public static string? Refusal(string? origin, string? fetchSite, string host)
    {
        if (fetchSite is { Length: > 0 } site && !site.Equals("same-origin", StringComparison.OrdinalIgnoreCase) && !site.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return $"cross-site request refused (Sec-Fetch-Site: {Clip(site)})";
        }

        if (origin is not { Length: > 0 })
        {
            return null;
        }

        return SameOrigin(origin, host) ? null : $"cross-site request refused (Origin: {Clip(origin)})";
    }

    /// <summary>
    /// The Origin's host and port against the Host header's; a Host without a port takes the Origin scheme's default, so
    /// <c>https://edge.example</c> matches <c>Host: edge.example</c> behind a TLS-terminating proxy. <c>Origin: null</c>
    /// (sandboxed frames, some redirects) never matches.
    /// </summary>
    public static bool SameOrigin(string origin, string host)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var o) || o.Scheme is not ("http" or "https") || o.AbsolutePath != "/")
        {
            return false;
        }

        var (name, port) = SplitHost(host);
        return name.Length > 0
            && string.Equals(name, o.HostNameType == UriHostNameType.IPv6 ? "[" + o.IdnHost.Trim('[', ']') + "]" : o.IdnHost, StringComparison.OrdinalIgnoreCase)
            && (port ?? o.Port) == o.Port;
    }

    private static (string Name, int? Port) SplitHost(string host)
    {
        var colon = host.LastIndexOf(':');
        if (colon < 0 || host.EndsWith(']'))
        {
            return (host, null);
        }

        return int.TryParse(host.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
            ? (host[..colon], port)
            : ("", null);
    }

    private static string Clip(string value) => value.Length <= 100 ? value : value[..100] + "…";
}
