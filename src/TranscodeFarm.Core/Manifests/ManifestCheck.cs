using TranscodeFarm.Core.Ffmpeg;

namespace TranscodeFarm.Core.Manifests;

public sealed record ManifestCheckResult(IReadOnlyList<string> Problems, IReadOnlySet<string> ReferencedFiles)
{
    public bool Ok => Problems.Count == 0;
}

/// <summary>
/// Checks a packaged asset's manifests against the HLS and DASH rules players depend on, and lists every
/// file they reference, so packaging can prove nothing is missing before anything is published.
/// </summary>
public static class ManifestCheck
{
    /// <param name="manifests">Manifest file name → text, for the master, every media playlist and the MPD.</param>
    /// <param name="withDash">False for HLS-only assets (whole-segment AES-128), which have no MPD.</param>
    public static ManifestCheckResult Check(IReadOnlyDictionary<string, string> manifests, bool withDash = true)
    {
        var problems = new List<string>();
        var files = new HashSet<string>(StringComparer.Ordinal);
        CheckHls(manifests, problems, files);
        if (withDash)
        {
            CheckDash(manifests, problems, files);
        }
        return new ManifestCheckResult(problems, files);
    }

    /// <summary>RFC 8216 §4.3.4.1.1 and §4.3.4.2: every AUDIO group a variant names exists, a group has at most one
    /// DEFAULT=YES, and NAME is unique within a group (decision 029).</summary>
    private static void CheckAudioGroups(HlsMasterPlaylist master, List<string> problems)
    {
        var audio = master.Media.Where(m => m.Type == "AUDIO").ToList();
        var groups = audio.GroupBy(m => m.Attributes.GetValueOrDefault("GROUP-ID") ?? "").ToDictionary(g => g.Key, g => g.ToList());
        foreach (var v in master.Variants)
        {
            if (v.Attributes.GetValueOrDefault("AUDIO") is { } group && !groups.ContainsKey(group))
            {
                problems.Add($"variant {v.Uri} names audio group '{group}', which has no EXT-X-MEDIA");
            }
        }

        foreach (var (group, members) in groups)
        {
            if (members.Count(m => m.Attributes.GetValueOrDefault("DEFAULT") == "YES") > 1)
            {
                problems.Add($"audio group '{group}' has more than one DEFAULT=YES");
            }

            if (members.GroupBy(m => m.Attributes.GetValueOrDefault("NAME")).FirstOrDefault(g => g.Count() > 1) is { } twice)
            {
                problems.Add($"audio group '{group}' has two renditions named '{twice.Key}'");
            }
        }
    }

    private static void CheckHls(IReadOnlyDictionary<string, string> manifests, List<string> problems, HashSet<string> files)
    {
        if (!manifests.TryGetValue(OutputLayout.HlsMaster, out var masterText))
        {
            problems.Add($"{OutputLayout.HlsMaster} is missing");
            return;
        }

        var master = HlsParser.ParseMaster(masterText);
        if (master.Version is null)
        {
            problems.Add("master playlist has no #EXT-X-VERSION");
        }

        if (master.Variants.Count == 0)
        {
            problems.Add("master playlist has no variant streams");
        }

        foreach (var v in master.Variants)
        {
            if (v.Bandwidth is null or <= 0)
            {
                problems.Add($"variant {v.Uri} has no BANDWIDTH");
            }

            if (string.IsNullOrEmpty(v.Codecs))
            {
                problems.Add($"variant {v.Uri} has no CODECS");
            }

            if (v.Codecs?.Contains("avc1", StringComparison.Ordinal) == true && string.IsNullOrEmpty(v.Resolution))
            {
                problems.Add($"video variant {v.Uri} has no RESOLUTION");
            }
        }

        CheckAudioGroups(master, problems);
        // WebVTT subtitle playlists list whole text files: no init segment (EXT-X-MAP) to ask for.
        var subtitles = master.Media.Where(m => m.Type == "SUBTITLES").Select(m => m.Uri).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var v in master.Variants.Where(_ => subtitles.Count > 0))
        {
            if (!v.Attributes.ContainsKey("SUBTITLES"))
            {
                problems.Add($"variant {v.Uri} does not name the subtitle group");
            }
        }

        var playlists = master.Variants.Select(v => v.Uri).Concat(master.Media.Select(m => m.Uri).OfType<string>()).Distinct();
        foreach (var name in playlists)
        {
            files.Add(name);
            if (!manifests.TryGetValue(name, out var text))
            {
                problems.Add($"media playlist {name} is referenced but missing");
                continue;
            }

            CheckMediaPlaylist(name, HlsParser.ParseMedia(text), problems, files, needsMap: !subtitles.Contains(name));
        }
    }

    private static void CheckMediaPlaylist(string name, HlsMediaPlaylist media, List<string> problems, HashSet<string> files, bool needsMap)
    {
        if (media.Version is null)
        {
            problems.Add($"{name} has no #EXT-X-VERSION");
        }

        if (media.MapUri is null && needsMap)
        {
            problems.Add($"{name} has no #EXT-X-MAP (fMP4 needs an init segment)");
        }
        else if (media.MapUri is not null)
        {
            files.Add(media.MapUri);
        }

        if (!media.EndList)
        {
            problems.Add($"{name} has no #EXT-X-ENDLIST");
        }

        if (media.Segments.Count == 0)
        {
            problems.Add($"{name} has no segments");
        }

        var longest = media.Segments.Count == 0 ? 0 : media.Segments.Max(s => s.Duration);
        // RFC 8216 §4.3.3.1: each EXTINF duration, rounded to the nearest integer, must not exceed TARGETDURATION.
        if (media.TargetDuration is null || Math.Round(longest, MidpointRounding.AwayFromZero) > media.TargetDuration)
        {
            problems.Add($"{name}: TARGETDURATION {media.TargetDuration} is below the longest segment ({longest:0.###} s)");
        }

        foreach (var s in media.Segments)
        {
            files.Add(s.Uri);
        }
    }

    private static void CheckDash(IReadOnlyDictionary<string, string> manifests, List<string> problems, HashSet<string> files)
    {
        if (!manifests.TryGetValue(OutputLayout.DashManifest, out var xml))
        {
            problems.Add($"{OutputLayout.DashManifest} is missing");
            return;
        }

        DashManifest mpd;
        try
        {
            mpd = DashParser.Parse(xml);
        }
        catch (Exception ex) when (ex is FormatException or System.Xml.XmlException)
        {
            problems.Add($"{OutputLayout.DashManifest} is not a valid MPD: {ex.Message}");
            return;
        }

        if (mpd.Representations.Count == 0)
        {
            problems.Add("MPD has no representations");
        }

        foreach (var r in mpd.Representations)
        {
            if (r.Segments.Count == 0)
            {
                problems.Add($"MPD representation {r.Id} has no segments");
            }

            if (string.IsNullOrEmpty(r.Codecs) && !r.IsText)
            {
                problems.Add($"MPD representation {r.Id} has no codecs");
            }

            if (r.Initialization.Length > 0)
            {
                files.Add(r.Initialization);
            }

            files.UnionWith(r.Segments);
        }
    }
}
