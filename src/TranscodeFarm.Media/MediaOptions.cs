namespace TranscodeFarm.Media;

public sealed class MediaOptions
{
    public const string Section = "Media";

    /// <summary>Folder holding ffmpeg and ffprobe; empty means look them up on PATH.</summary>
    public string FfmpegFolder { get; set; } = "";

    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Standalone fingerprint extraction (`transcodefarm fingerprint`, `match FILE`, the match API, `collection add`, the
    /// alias policy's pre-encode pass) decodes skipping the loop filter and non-reference frames
    /// (<c>FingerprintArguments.FastDecodeOptions</c>): ~1.9× less decode CPU on 1080p H.264, measured against matching
    /// accuracy in decision 012 (issue 17). The encode's own fingerprint always decodes everything.
    /// </summary>
    public bool FingerprintFastDecode { get; set; } = true;

    /// <summary>One text subtitle stream to WebVTT: ffmpeg reads the whole source, but decodes no picture or sound...</summary>
    public TimeSpan SubtitleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>...so a long source gets a quarter of its duration for that read, if that is more (a film on slow storage).</summary>
    public TimeSpan SubtitleTimeoutFor(double durationSeconds)
    {
        var byDuration = TimeSpan.FromSeconds(Math.Min(Math.Max(0, durationSeconds) / 4, MaxEncodeTimeout.TotalSeconds));
        return byDuration > SubtitleTimeout ? byDuration : SubtitleTimeout;
    }

    /// <summary>An encode may take this many times the source duration...</summary>
    public double EncodeTimeoutFactor { get; set; } = 20;

    /// <summary>...but never less than this (short sources on a busy machine).</summary>
    public TimeSpan MinEncodeTimeout { get; set; } = TimeSpan.FromMinutes(2);

    public string FfmpegPath => string.IsNullOrEmpty(FfmpegFolder) ? "ffmpeg" : Path.Combine(FfmpegFolder, "ffmpeg");

    public string FfprobePath => string.IsNullOrEmpty(FfmpegFolder) ? "ffprobe" : Path.Combine(FfmpegFolder, "ffprobe");

    /// <summary>...and never more than this, whatever a damaged file claims its duration is.</summary>
    public TimeSpan MaxEncodeTimeout { get; set; } = TimeSpan.FromHours(24);

    public TimeSpan EncodeTimeoutFor(double durationSeconds)
    {
        var byDuration = TimeSpan.FromSeconds(Math.Min(Math.Max(0, durationSeconds) * EncodeTimeoutFactor, MaxEncodeTimeout.TotalSeconds));
        return byDuration > MinEncodeTimeout ? byDuration : MinEncodeTimeout;
    }
}
