using System.Globalization;
using System.Xml.Linq;
using TranscodeFarm.Core.Packaging.Encryption;

namespace TranscodeFarm.Core.Packaging.Manifests;

/// <summary>
/// Writes a static DASH MPD (ISO/IEC 23009-1, live profile) over the same CMAF segments: SegmentTemplate with a
/// SegmentTimeline per representation, and for encrypted tracks the mp4protection ContentProtection with
/// cenc:default_KID plus one ContentProtection with a cenc:pssh per DRM system. Representations that use
/// different keys go to different adaptation sets, as DASH-IF requires.
/// </summary>
public static class DashWriter
{
    public const string FileName = "manifest.mpd";

    private static readonly XNamespace Ns = "urn:mpeg:dash:schema:mpd:2011";
    private static readonly XNamespace Cenc = "urn:mpeg:cenc:2013";

    /// <param name="captioned">Video renditions (by name) that carry CEA-608 captions: their set gets an Accessibility (030).</param>
    public static string Write(IReadOnlyList<PackagedTrack> tracks, string? title, IReadOnlyList<Subtitles.SubtitleRendition>? subtitles = null, IReadOnlySet<string>? captioned = null)
    {
        var duration = tracks.Count == 0 ? 0 : tracks.Max(t => t.DurationSeconds);
        var longest = tracks.SelectMany(t => t.Segments.Select(s => (double)s.Duration / t.Info.Timescale)).DefaultIfEmpty(2).Max();
        var period = new XElement(Ns + "Period", new XAttribute("id", "0"), new XAttribute("start", "PT0S"));
        var setId = 0;
        // HDR and SDR renditions go to different adaptation sets: a set has one colour signalling, and a player that cannot
        // show PQ must be able to leave the whole set out. Audio: one set per language, role and channel layout (decision
        // 029), so a player lists and switches languages.
        foreach (var group in tracks.GroupBy(t => (t.Info.Kind, t.Encryption?.KeyId, t.Range, Audio: t.Info.Kind == TrackKind.Audio ? AudioSetKey(t) : null))
                     .OrderBy(g => g.Key.Kind).ThenBy(g => g.Key.Range).ThenBy(g => g.Min(t => int.Parse(t.Id, CultureInfo.InvariantCulture))))
        {
            var set = AdaptationSet(setId++, group.Key.Kind, group.ToList());
            if (group.Key.Kind == TrackKind.Video && captioned is { Count: > 0 } && group.All(t => captioned.Contains(t.Name)))
            {
                // After the colour properties, before the Representations (schema order).
                set.Element(Ns + "Representation")!.AddBeforeSelf(DashSubtitles.ClosedCaptions(Ns));
            }

            period.Add(set);
        }

        period.Add(DashSubtitles.AdaptationSets(Ns, setId, subtitles ?? []));

        var mpd = new XElement(Ns + "MPD",
            new XAttribute(XNamespace.Xmlns + "cenc", Cenc.NamespaceName),
            new XAttribute("profiles", "urn:mpeg:dash:profile:isoff-live:2011"),
            new XAttribute("type", "static"),
            new XAttribute("mediaPresentationDuration", IsoDuration(duration)),
            new XAttribute("minBufferTime", IsoDuration(Math.Ceiling(longest))),
            new XElement(Ns + "ProgramInformation", new XElement(Ns + "Title", title ?? "")),
            period);
        return new XDocument(new XDeclaration("1.0", "utf-8", null), mpd).Declaration + "\n" + mpd + "\n";
    }

    private static XElement AdaptationSet(int id, TrackKind kind, List<PackagedTrack> tracks)
    {
        var video = kind == TrackKind.Video;
        var set = new XElement(Ns + "AdaptationSet",
            new XAttribute("id", id),
            new XAttribute("contentType", video ? "video" : "audio"),
            new XAttribute("mimeType", video ? "video/mp4" : "audio/mp4"),
            new XAttribute("segmentAlignment", "true"),
            new XAttribute("startWithSAP", "1"));
        var label = video ? null : tracks[0].Label;
        if (!video)
        {
            set.Add(new XAttribute("lang", label?.Language ?? "und"));
        }

        if (tracks[0].Encryption is { } e)
        {
            set.Add(ContentProtection(e));
        }

        if (video)
        {
            set.Add(ColourProperties(tracks[0].Range));
        }

        if (label is not null)
        {
            set.Add(new XElement(Ns + "Label", label.Name));
        }

        if (label?.DescribesVideo == true)
        {
            // DVB/DASH-IF: audio description is Accessibility AudioPurposeCS 1 with Role "description".
            set.Add(new XElement(Ns + "Accessibility", new XAttribute("schemeIdUri", "urn:tva:metadata:cs:AudioPurposeCS:2007"), new XAttribute("value", "1")));
        }

        if (!video)
        {
            var role = label is null || label.IsDefault ? "main" : label.DescribesVideo ? "description" : "alternate";
            set.Add(new XElement(Ns + "Role", new XAttribute("schemeIdUri", "urn:mpeg:dash:role:2011"), new XAttribute("value", role)));
        }

        foreach (var t in tracks.OrderByDescending(t => t.PeakBitrate))
        {
            set.Add(Representation(t, video));
        }

        return set;
    }

    private static string AudioSetKey(PackagedTrack t) =>
        string.Create(CultureInfo.InvariantCulture, $"{t.Label?.Language}|{t.Label?.Name}|{t.Label?.DescribesVideo}|{t.Info.Channels}|{t.Info.Codec}");

    /// <summary>
    /// HDR sets say their colour with the ISO/IEC 23001-8 (CICP) code points, as DASH-IF IOP asks: the transfer as an
    /// EssentialProperty (PQ 16, HLG 18; a player that does not know it must skip the set rather than show washed-out
    /// colours), BT.2020 primaries (9) and non-constant-luminance matrix (9) as SupplementalProperty. SDR sets say nothing
    /// (BT.709 is what a player assumes).
    /// </summary>
    private static IEnumerable<XElement> ColourProperties(Planning.DynamicRange range)
    {
        if (range == Planning.DynamicRange.Sdr)
        {
            yield break;
        }

        yield return Property("EssentialProperty", "TransferCharacteristics", range == Planning.DynamicRange.Pq ? 16 : 18);
        yield return Property("SupplementalProperty", "ColourPrimaries", 9);
        yield return Property("SupplementalProperty", "MatrixCoefficients", 9);
    }

    private static XElement Property(string element, string cicp, int value) =>
        new(Ns + element, new XAttribute("schemeIdUri", "urn:mpeg:mpegB:cicp:" + cicp), new XAttribute("value", value));

    private static IEnumerable<XElement> ContentProtection(TrackEncryption e)
    {
        yield return new XElement(Ns + "ContentProtection",
            new XAttribute("schemeIdUri", "urn:mpeg:dash:mp4protection:2011"),
            new XAttribute("value", e.Scheme == EncryptionScheme.Cbcs ? "cbcs" : "cenc"),
            new XAttribute(Cenc + "default_KID", e.KeyId.ToString("D")));
        foreach (var pssh in e.PsshBoxes)
        {
            var systemId = new Guid(pssh.AsSpan(12, 16), bigEndian: true);
            yield return new XElement(Ns + "ContentProtection",
                new XAttribute("schemeIdUri", "urn:uuid:" + systemId.ToString("D")),
                new XAttribute("value", SystemName(systemId)),
                new XElement(Cenc + "pssh", Convert.ToBase64String(pssh)));
        }
    }

    private static string SystemName(Guid systemId) => systemId.ToString("D") switch
    {
        "1077efec-c0b2-4d02-ace3-3c1e52e2fb4b" => "ClearKey1.0",
        "edef8ba9-79d6-4ace-a3c8-27dcd51d21ed" => "Widevine",
        "9a04f079-9840-4286-ab92-e65be0885f95" => "MSPR 2.0",
        _ => "DRM",
    };

    private static XElement Representation(PackagedTrack t, bool video)
    {
        var rep = new XElement(Ns + "Representation",
            new XAttribute("id", t.Id),
            new XAttribute("bandwidth", t.PeakBitrate),
            new XAttribute("codecs", t.Info.Codec));
        if (video)
        {
            rep.Add(new XAttribute("width", t.Info.Width), new XAttribute("height", t.Info.Height), new XAttribute("sar", t.SampleAspect));
            if (t.TypicalSampleDuration > 0)
            {
                rep.Add(new XAttribute("frameRate", FrameRate(t.Info.Timescale, t.TypicalSampleDuration)));
            }
        }
        else
        {
            rep.Add(new XAttribute("audioSamplingRate", t.Info.SampleRate));
            rep.Add(new XElement(Ns + "AudioChannelConfiguration",
                new XAttribute("schemeIdUri", "urn:mpeg:dash:23003:3:audio_channel_configuration:2011"),
                new XAttribute("value", t.Info.Channels)));
        }

        var timeline = new XElement(Ns + "SegmentTimeline");
        XElement? last = null;
        long expected = -1;
        foreach (var s in t.Segments)
        {
            if (last is not null && s.Duration == (long)last.Attribute("d")! && s.StartTime == expected)
            {
                last.SetAttributeValue("r", ((int?)last.Attribute("r") ?? 0) + 1);
            }
            else
            {
                last = new XElement(Ns + "S", new XAttribute("t", s.StartTime), new XAttribute("d", s.Duration));
                timeline.Add(last);
            }

            expected = s.StartTime + s.Duration;
        }

        rep.Add(new XElement(Ns + "SegmentTemplate",
            new XAttribute("timescale", t.Info.Timescale),
            new XAttribute("initialization", Ffmpeg.OutputLayout.InitTemplate),
            new XAttribute("media", Ffmpeg.OutputLayout.SegmentTemplate),
            new XAttribute("startNumber", 1),
            timeline));
        return rep;
    }

    private static string FrameRate(uint timescale, long frameDuration)
    {
        var g = Gcd(timescale, frameDuration);
        var num = timescale / g;
        var den = frameDuration / g;
        return den == 1 ? num.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{num}/{den}");
    }

    private static long Gcd(long a, long b) => b == 0 ? a : Gcd(b, a % b);

    private static string IsoDuration(double seconds) => string.Create(CultureInfo.InvariantCulture, $"PT{seconds:0.000}S");
}
