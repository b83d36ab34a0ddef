namespace TranscodeFarm.Core.Manifests;

/// <summary>Which manifest URIs get a viewer's token, and how it is added to one.</summary>
internal static class TokenUri
{
    /// <summary>
    /// True for references the player resolves against our own URL (relative and root-relative paths). A URI with a
    /// scheme (https:, skd:, data:...) or a network path (//host/...) goes elsewhere or nowhere: the token stays home.
    /// </summary>
    public static bool Needs(string uri) =>
        !string.IsNullOrWhiteSpace(uri) && !uri.StartsWith("//", StringComparison.Ordinal) && !HasScheme(uri);

    /// <summary>Adds <paramref name="query"/> (already escaped, e.g. "token=abc") as the last query parameter, before any fragment.</summary>
    public static string With(string uri, string query)
    {
        var hash = uri.IndexOf('#', StringComparison.Ordinal);
        var path = hash < 0 ? uri : uri[..hash];
        var fragment = hash < 0 ? "" : uri[hash..];
        var separator = !path.Contains('?', StringComparison.Ordinal) ? "?" : path.EndsWith('?') || path.EndsWith('&') ? "" : "&";
        return path + separator + query + fragment;
    }

    /// <summary>RFC 3986 3.1: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" before any "/", "?" or "#".</summary>
    private static bool HasScheme(string uri)
    {
        if (!char.IsAsciiLetter(uri[0]))
        {
            return false;
        }

        for (var i = 1; i < uri.Length; i++)
        {
            var c = uri[i];
            if (c == ':')
            {
                return true;
            }

            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return false;
            }
        }

        return false;
    }
}
