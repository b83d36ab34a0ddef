using System.Text;
using System.Text.RegularExpressions;

namespace TranscodeFarm.Core.Manifests;

/// <summary>
/// Carries a viewer's playback token through HLS: when a playlist is asked for with ?token=..., the playlists it
/// references and its key URIs (/keys/...) get the same token, so a player that only knows the master URL can
/// fetch its keys. Stored playlists never contain tokens; this is applied per response.
/// </summary>
public static partial class PlaylistTokens
{
    public static string Apply(string playlist, string token)
    {
        var escaped = Uri.EscapeDataString(token);
        var sb = new StringBuilder(playlist.Length + 256);
        foreach (var line in playlist.Split('\n'))
        {
            if (line.StartsWith('#'))
            {
                sb.Append(UriAttribute().Replace(line, m => NeedsToken(m.Groups[1].Value) ? $"URI=\"{WithToken(m.Groups[1].Value, escaped)}\"" : m.Value));
            }
            else
            {
                sb.Append(NeedsToken(line.Trim()) ? WithToken(line.Trim(), escaped) : line);
            }

            sb.Append('\n');
        }

        return sb.ToString(0, sb.Length - 1);
    }

    private static bool NeedsToken(string uri) =>
        !uri.Contains("://", StringComparison.Ordinal) && !uri.StartsWith("data:", StringComparison.Ordinal)
        && (uri.StartsWith("/keys/", StringComparison.Ordinal) || uri.EndsWith(".m3u8", StringComparison.Ordinal));

    private static string WithToken(string uri, string escapedToken) => uri + (uri.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "token=" + escapedToken;

    [GeneratedRegex("URI=\"([^\"]*)\"")]
    private static partial Regex UriAttribute();
}
