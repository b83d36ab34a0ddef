namespace TranscodeFarm.Core.Access;

/// <summary>
/// The host names a control surface (<c>/admin/*</c>, <c>/api/*</c>) answers to: what <c>Edge:AllowedHosts</c> lists, or by
/// default the host of the edge's own listen URL plus the loopback names. A request naming another host (DNS rebinding, a
/// page that points a name it controls at the edge) is refused. Names are compared without the port, ignoring case;
/// <c>*</c> allows any host.
/// </summary>
public sealed class HostAllowList
{
    private static readonly string[] Loopback = ["localhost", "127.0.0.1", "[::1]"];
    private readonly HashSet<string> _hosts;

    private HostAllowList(IEnumerable<string> hosts, bool any)
    {
        _hosts = new HashSet<string>(hosts, StringComparer.OrdinalIgnoreCase);
        AllowsAny = any;
    }

    public bool AllowsAny { get; }

    public IReadOnlyCollection<string> Hosts => _hosts;

    /// <param name="configured">Edge:AllowedHosts: names separated by ',' or ';' (empty: the default).</param>
    /// <param name="listenUrl">Edge:Url; its host joins the default unless it is a wildcard address.</param>
    public static HostAllowList Of(string configured, string listenUrl)
    {
        var names = Split(configured);
        if (names.Count > 0)
        {
            return new HostAllowList(names.Where(n => n != "*").Select(Normalize), names.Contains("*"));
        }

        var hosts = new List<string>(Loopback);
        if (Uri.TryCreate(listenUrl, UriKind.Absolute, out var uri) && uri.Host is { Length: > 0 } host && !IsWildcard(host))
        {
            hosts.Add(Normalize(uri.HostNameType == UriHostNameType.IPv6 ? "[" + uri.IdnHost.Trim('[', ']') + "]" : host));
        }

        return new HostAllowList(hosts, any: false);
    }

    /// <summary>The entries of a setting, or why one is not a host name (for option validation).</summary>
    public static string? Invalid(string configured) =>
        Split(configured).FirstOrDefault(n => n != "*" && (n.Contains('/', StringComparison.Ordinal) || n.Contains(' ', StringComparison.Ordinal) || Uri.CheckHostName(Bare(n)) == UriHostNameType.Unknown));

    /// <param name="host">The request's host without its port (<c>[::1]</c> with brackets).</param>
    public bool Allows(string host) => AllowsAny || (host.Length > 0 && _hosts.Contains(Normalize(host)));

    private static List<string> Split(string configured) =>
        configured.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static string Normalize(string host) => host.TrimEnd('.').ToLowerInvariant();

    private static string Bare(string host) => host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;

    private static bool IsWildcard(string host) => host is "0.0.0.0" or "[::]" or "::" or "*" or "+";
}
