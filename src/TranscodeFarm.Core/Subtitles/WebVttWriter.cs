using System.Globalization;
using System.Text;

namespace TranscodeFarm.Core.Subtitles;

/// <summary>Writes WebVTT: the signature, an optional X-TIMESTAMP-MAP header (HLS), and the cues in order.</summary>
public static class WebVttWriter
{
    /// <param name="mpegTs">For HLS segments: the 90 kHz media time that cue time 0 is at (RFC 8216 §3.5), else null.</param>
    public static string Write(IEnumerable<SubtitleCue> cues, long? mpegTs = null)
    {
        var sb = new StringBuilder("WEBVTT\n");
        if (mpegTs is { } ts)
        {
            sb.Append(CultureInfo.InvariantCulture, $"X-TIMESTAMP-MAP=MPEGTS:{ts},LOCAL:00:00:00.000\n");
        }

        foreach (var cue in cues)
        {
            sb.Append('\n').Append(Time(cue.StartMs)).Append(" --> ").Append(Time(cue.EndMs));
            if (cue.Settings is { Length: > 0 } settings)
            {
                sb.Append(' ').Append(settings);
            }

            sb.Append('\n').Append(cue.Text).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>"01:02:03.004": hours always written, so every player's parser reads it.</summary>
    public static string Time(long ms) =>
        string.Create(CultureInfo.InvariantCulture, $"{ms / 3_600_000:00}:{ms / 60_000 % 60:00}:{ms / 1000 % 60:00}.{ms % 1000:000}");
}
