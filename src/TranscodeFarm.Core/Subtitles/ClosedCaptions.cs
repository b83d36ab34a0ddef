using TranscodeFarm.Core.Planning;

namespace TranscodeFarm.Core.Subtitles;

/// <summary>
/// CEA-608/708 captions carried in the video (ATSC A/53 SEI). They are not re-made: libx264 passes on the captions of the
/// frames it encodes (ffmpeg's a53cc, on by default), so a rendition keeps them when the source has them and libx264
/// encodes it; the manifests then say so (HLS CLOSED-CAPTIONS, DASH Accessibility). Other encoders are not claimed.
/// </summary>
public static class ClosedCaptions
{
    public const string GroupId = "cc";

    /// <summary>The only service announced: field 1, channel 1, where nearly all 608 captions are.</summary>
    public const string InstreamId = "CC1";

    /// <summary>The names of the renditions that carry the source's captions (none when it has none).</summary>
    public static IReadOnlySet<string> Renditions(SourceInfo source, EncodePlan plan) =>
        source.Video?.Colour?.ClosedCaptions == true
            ? plan.Video.Where(v => v.Codec == Profiles.ProfileCapabilities.BaselineEncoder).Select(v => v.Name).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>();
}
