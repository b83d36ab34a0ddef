using System.Text;

namespace TranscodeFarm.Core.Manifests;

/// <summary>
/// Turns the playlists ffmpeg's DASH muxer writes into proper VOD playlists: marks segments independent
/// (every segment starts on a keyframe), declares the playlist type, and drops wall-clock
/// PROGRAM-DATE-TIME tags that describe the encode, not the content.
/// </summary>
public static class HlsPlaylistFinisher
{
    public static string FinishMaster(string text) => Rewrite(text, isMedia: false);

    public static string FinishMedia(string text) => Rewrite(text, isMedia: true);

    private static string Rewrite(string text, bool isMedia)
    {
        var sb = new StringBuilder(text.Length + 64);
        var inserted = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("#EXT-X-PROGRAM-DATE-TIME", StringComparison.Ordinal)
                || line == "#EXT-X-INDEPENDENT-SEGMENTS"
                || line.StartsWith("#EXT-X-PLAYLIST-TYPE", StringComparison.Ordinal))
            {
                continue;
            }

            sb.Append(line).Append('\n');
            if (!inserted && line.StartsWith("#EXT-X-VERSION", StringComparison.Ordinal))
            {
                sb.Append("#EXT-X-INDEPENDENT-SEGMENTS\n");
                if (isMedia)
                {
                    sb.Append("#EXT-X-PLAYLIST-TYPE:VOD\n");
                }

                inserted = true;
            }
        }

        // Collapse the blank lines the split leaves at the end into a single trailing newline.
        return sb.ToString().TrimEnd('\n') + "\n";
    }
}
