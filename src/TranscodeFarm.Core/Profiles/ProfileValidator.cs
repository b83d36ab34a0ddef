using System.Text.RegularExpressions;

namespace TranscodeFarm.Core.Profiles;

public static partial class ProfileValidator
{
    private static readonly HashSet<string> VideoCodecs = ["libx264", "libx265", "h264_nvenc", "hevc_nvenc"];
    private static readonly HashSet<string> AudioCodecs = ["aac"];

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex NamePattern();

    public static IReadOnlyList<string> Validate(LadderProfile p)
    {
        var errors = new List<string>();
        if (!NamePattern().IsMatch(p.Name))
        {
            errors.Add($"name '{p.Name}' must be lowercase letters, digits, '-' or '_' (max 64)");
        }

        if (p.Video.Count == 0 && p.Audio.Count == 0)
        {
            errors.Add("a profile needs at least one video or audio rendition");
        }

        if (p.SegmentSeconds is < 1 or > 20)
        {
            errors.Add($"segmentSeconds must be between 1 and 20 (got {p.SegmentSeconds})");
        }

        if (p.GopSeconds <= 0 || p.GopSeconds > p.SegmentSeconds || !DividesEvenly(p.SegmentSeconds, p.GopSeconds))
        {
            errors.Add($"gopSeconds ({p.GopSeconds}) must be positive and divide segmentSeconds ({p.SegmentSeconds})");
        }

        if (p.Drm?.Validate() is { } drmProblem)
        {
            errors.Add(drmProblem);
        }

        if (p.MaxFrameRate is < 1 or > 120)
        {
            errors.Add($"maxFrameRate must be between 1 and 120 (got {p.MaxFrameRate})");
        }

        if (p.Deinterlace is not (DeinterlaceModes.Field or DeinterlaceModes.Frame))
        {
            errors.Add($"deinterlace must be \"{DeinterlaceModes.Field}\" or \"{DeinterlaceModes.Frame}\" (got \"{p.Deinterlace}\")");
        }

        CheckBitratesRise(p.Video, errors);
        CheckUnique(p.Video.Select(v => v.Name).Concat(p.Audio.Select(a => a.Name)), errors);
        for (var i = 0; i < p.Video.Count; i++)
        {
            ValidateVideo(p.Video[i], $"video[{i}]", errors);
        }

        for (var i = 0; i < p.Audio.Count; i++)
        {
            ValidateAudio(p.Audio[i], $"audio[{i}]", errors);
        }

        ValidateAudioSelection(p.AudioSelection, errors);

        return errors;
    }

    /// <summary>A taller rung of the same codec and range must cost more bits: else a player climbing the ladder gets a
    /// bigger, worse picture for fewer bits (issue 16). Per codec and range: an HEVC rung may rightly need less than an
    /// H.264 one, and SDR and HDR rungs are separate ladders (decision 028).</summary>
    private static void CheckBitratesRise(IReadOnlyList<VideoRendition> video, List<string> errors)
    {
        foreach (var codec in video.GroupBy(v => (v.Codec, v.IsHdr)))
        {
            var rungs = codec.OrderBy(v => v.Height).ToList();
            for (var i = 1; i < rungs.Count; i++)
            {
                if (rungs[i].Height > rungs[i - 1].Height && rungs[i].BitrateKbps <= rungs[i - 1].BitrateKbps)
                {
                    errors.Add($"video rendition '{rungs[i].Name}' ({rungs[i].Height} lines, {rungs[i].BitrateKbps} kbps) must have a higher bitrate than the shorter '{rungs[i - 1].Name}' ({rungs[i - 1].Height} lines, {rungs[i - 1].BitrateKbps} kbps)");
                }
            }
        }
    }

    private static void ValidateVideo(VideoRendition v, string at, List<string> errors)
    {
        if (!NamePattern().IsMatch(v.Name))
        {
            errors.Add($"{at}.name '{v.Name}' must be lowercase letters, digits, '-' or '_'");
        }

        if (v.Height is < 64 or > 4320 || v.Height % 2 != 0)
        {
            errors.Add($"{at}.height must be an even number between 64 and 4320 (got {v.Height})");
        }

        if (v.BitrateKbps is < 50 or > 100_000)
        {
            errors.Add($"{at}.bitrateKbps must be between 50 and 100000 (got {v.BitrateKbps})");
        }

        if (v.MaxrateKbps is { } max && max < v.BitrateKbps)
        {
            errors.Add($"{at}.maxrateKbps ({max}) must be at least bitrateKbps ({v.BitrateKbps})");
        }

        if (v.BufsizeKbps is <= 0)
        {
            errors.Add($"{at}.bufsizeKbps must be positive");
        }

        if (!VideoCodecs.Contains(v.Codec))
        {
            errors.Add($"{at}.codec '{v.Codec}' is not supported (use one of {string.Join(", ", VideoCodecs)})");
        }

        if (!FfmpegToken(v.Preset) || (v.Profile is not null && !FfmpegToken(v.Profile)) || (v.Level is not null && !FfmpegToken(v.Level)))
        {
            errors.Add($"{at}: preset, profile and level must be plain words (letters, digits, '.', '_')");
        }

        if (v.Filter is not null && !IsPlainFilterChain(v.Filter))
        {
            errors.Add($"{at}.filter must be a plain filter chain of at most 500 characters (no '[', ']', ';', quotes, or movie/amovie sources)");
        }

        ValidateDynamicRange(v, at, errors);
    }

    /// <summary>An HDR rung is HEVC Main10 from libx265: the one encoder here that takes the HDR10 metadata (x265-params).</summary>
    private static void ValidateDynamicRange(VideoRendition v, string at, List<string> errors)
    {
        if (v.DynamicRange is not (VideoRendition.Sdr or VideoRendition.Hdr))
        {
            errors.Add($"{at}.dynamicRange '{v.DynamicRange}' must be \"sdr\" or \"hdr\"");
            return;
        }

        if (!v.IsHdr)
        {
            return;
        }

        if (v.Codec != "libx265")
        {
            errors.Add($"{at}.codec '{v.Codec}' cannot make an HDR rendition (dynamicRange \"hdr\" needs libx265)");
        }

        if (v.Profile is not null and not "main10")
        {
            errors.Add($"{at}.profile '{v.Profile}' cannot carry HDR (dynamicRange \"hdr\" needs main10, or leave profile out)");
        }
    }

    /// <summary>A chain that cannot rewire the graph (labels, ';') or read files (movie sources).</summary>
    private static bool IsPlainFilterChain(string filter) =>
        filter.Length is > 0 and <= 500
        && filter.IndexOfAny(['[', ']', ';', '\'', '"', '\n', '\r']) < 0
        && !filter.Contains("movie", StringComparison.OrdinalIgnoreCase);

    private static void ValidateAudio(AudioRendition a, string at, List<string> errors)
    {
        if (!NamePattern().IsMatch(a.Name))
        {
            errors.Add($"{at}.name '{a.Name}' must be lowercase letters, digits, '-' or '_'");
        }

        if (a.BitrateKbps is < 16 or > 512)
        {
            errors.Add($"{at}.bitrateKbps must be between 16 and 512 (got {a.BitrateKbps})");
        }

        if (a.Channels is < 1 or > 8)
        {
            errors.Add($"{at}.channels must be between 1 and 8 (got {a.Channels})");
        }

        if (a.SampleRate is not (22050 or 32000 or 44100 or 48000))
        {
            errors.Add($"{at}.sampleRate must be 22050, 32000, 44100 or 48000 (got {a.SampleRate})");
        }

        if (!AudioCodecs.Contains(a.Codec))
        {
            errors.Add($"{at}.codec '{a.Codec}' is not supported (use aac)");
        }

        if (a.Filter is not null && !IsPlainFilterChain(a.Filter))
        {
            errors.Add($"{at}.filter must be a plain filter chain of at most 500 characters (no '[', ']', ';', quotes, or movie/amovie sources)");
        }
    }

    private static void ValidateAudioSelection(AudioSelection selection, List<string> errors)
    {
        foreach (var language in selection.Languages)
        {
            if (!Planning.AudioLanguage.IsValid(language))
            {
                errors.Add($"audioSelection.languages: '{language}' is not a BCP 47 or ISO 639 language tag (e.g. \"en\", \"fra\", \"pt-BR\")");
            }
        }

        if (selection.MaxTracks is < 1 or > 16)
        {
            errors.Add($"audioSelection.maxTracks must be between 1 and 16 (got {selection.MaxTracks})");
        }
    }

    private static void CheckUnique(IEnumerable<string> names, List<string> errors)
    {
        foreach (var dup in names.GroupBy(n => n).Where(g => g.Count() > 1))
        {
            errors.Add($"rendition name '{dup.Key}' is used more than once");
        }
    }

    private static bool DividesEvenly(double whole, double part)
    {
        var ratio = whole / part;
        return Math.Abs(ratio - Math.Round(ratio)) < 1e-6;
    }

    private static bool FfmpegToken(string s) => s.Length is > 0 and < 32 && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_');
}
