using System.Text;
using System.Xml.Linq;
using TranscodeFarm.Core.Assets;
using TranscodeFarm.Core.Manifests;
using TranscodeFarm.Core.Packaging;
using TranscodeFarm.Core.Packaging.Manifests;
using TranscodeFarm.Core.Subtitles;

namespace TranscodeFarm.Core.Tests.Subtitles;

public sealed class SubtitlePackagingTests
{
    private static readonly SubtitleTrack English = new(new SubtitleLabel("en", "English"),
        [new SubtitleCue(500, 1500, "one"), new SubtitleCue(3500, 4500, "across"), new SubtitleCue(9000, 9500, "after the end")], "en.srt");

    private static readonly SubtitleTrack ForcedFrench = new(new SubtitleLabel("fr", "Français forcé", Forced: true, Default: true), [new SubtitleCue(100, 200, "x")], "fr.vtt");

    private static readonly SubtitleTrack ArabicSdh = new(new SubtitleLabel("ar", "عربي \"SDH\"", HearingImpaired: true), [], "ar.srt");

    [Fact]
    public void Cues_go_into_every_window_they_overlap_and_the_whole_track_into_one_file()
    {
        var package = SubtitlePackager.Package([English], SubtitlePackager.FixedWindows(4, 5.5));
        var rendition = Assert.Single(package.Renditions);
        Assert.Equal([(0L, 4000L), (4000L, 5500L)], rendition.Segments.Select(s => (s.StartMs, s.EndMs)));
        Assert.Equal(["one", "across"], rendition.Segments[0].Cues.Select(c => c.Text));
        Assert.Equal(["across"], rendition.Segments[1].Cues.Select(c => c.Text));
        Assert.Equal(["subs-0-00001.vtt", "subs-0-00002.vtt", "subs-0.vtt"], package.Objects.Select(o => o.Name));
        Assert.All(package.Objects, o => Assert.Equal(MediaTypes.WebVtt, o.ContentType));
        Assert.All(package.Objects, o => Assert.Equal(MediaTypes.ImmutableCacheControl, o.CacheControl));
        var whole = Encoding.UTF8.GetString(package.Objects[^1].Bytes.Span);
        Assert.DoesNotContain("X-TIMESTAMP-MAP", whole, StringComparison.Ordinal);
        Assert.Equal(English.Cues, WebVttParser.Parse(whole).Cues);
        Assert.Contains("X-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000", Encoding.UTF8.GetString(package.Objects[0].Bytes.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void Hls_master_offers_each_track_with_its_label_and_every_variant_names_the_group()
    {
        var package = SubtitlePackager.Package([English, ForcedFrench, ArabicSdh], SubtitlePackager.FixedWindows(4, 8));
        var video = Track("0", TrackKind.Video);
        var audio = Track("1", TrackKind.Audio);
        var text = HlsWriter.Master([video, audio], null, package.Renditions);
        var master = HlsParser.ParseMaster(text);
        var subs = master.Media.Where(m => m.Type == "SUBTITLES").ToList();
        Assert.Equal(["en", "fr", "ar"], subs.Select(s => s.Attributes["LANGUAGE"]));
        Assert.Equal(["English", "Français forcé", "عربي 'SDH'"], subs.Select(s => s.Attributes["NAME"]));
        Assert.Equal(["NO", "YES", "NO"], subs.Select(s => s.Attributes["DEFAULT"]));
        Assert.Equal(["NO", "YES", "NO"], subs.Select(s => s.Attributes["FORCED"]));
        Assert.Equal(["subs_0.m3u8", "subs_1.m3u8", "subs_2.m3u8"], subs.Select(s => s.Uri));
        Assert.Equal(SubtitleLabel.SdhCharacteristics, subs[2].Attributes["CHARACTERISTICS"]);
        Assert.False(subs[0].Attributes.ContainsKey("CHARACTERISTICS"));
        Assert.All(master.Variants, v => Assert.Equal(HlsSubtitles.GroupId, v.Attributes["SUBTITLES"]));

        var playlist = HlsParser.ParseMedia(HlsSubtitles.Media(package.Renditions[0]));
        Assert.True(playlist.EndList);
        Assert.Null(playlist.MapUri);
        Assert.Equal(4, playlist.TargetDuration);
        Assert.Equal(["subs-0-00001.vtt", "subs-0-00002.vtt"], playlist.Segments.Select(s => s.Uri));

        // The check accepts WebVTT playlists without EXT-X-MAP and lists their files.
        var manifests = new Dictionary<string, string>
        {
            ["master.m3u8"] = text,
            ["media_0.m3u8"] = HlsWriter.Media(video),
            ["media_1.m3u8"] = HlsWriter.Media(audio),
            ["subs_0.m3u8"] = HlsSubtitles.Media(package.Renditions[0]),
            ["subs_1.m3u8"] = HlsSubtitles.Media(package.Renditions[1]),
            ["subs_2.m3u8"] = HlsSubtitles.Media(package.Renditions[2]),
            ["manifest.mpd"] = DashWriter.Write([video, audio], "t", package.Renditions),
        };
        var check = ManifestCheck.Check(manifests);
        Assert.True(check.Ok, string.Join("; ", check.Problems));
        Assert.Contains("subs-2-00002.vtt", check.ReferencedFiles);
        Assert.Contains("subs-1.vtt", check.ReferencedFiles);
    }

    [Fact]
    public void Dash_has_a_text_adaptation_set_per_track_with_lang_label_role_and_one_webvtt_file()
    {
        var package = SubtitlePackager.Package([English, ForcedFrench, ArabicSdh], SubtitlePackager.FixedWindows(4, 8));
        var mpd = DashWriter.Write([Track("0", TrackKind.Video)], "t", package.Renditions);
        XNamespace ns = "urn:mpeg:dash:schema:mpd:2011";
        var sets = XDocument.Parse(mpd).Descendants(ns + "AdaptationSet").Where(s => (string?)s.Attribute("contentType") == "text").ToList();
        Assert.Equal(["en", "fr", "ar"], sets.Select(s => (string?)s.Attribute("lang")));
        Assert.All(sets, s => Assert.Equal("text/vtt", (string?)s.Attribute("mimeType")));
        Assert.Equal(["subtitle", "forced-subtitle main", "caption"], sets.Select(s => string.Join(' ', s.Elements(ns + "Role").Select(r => (string?)r.Attribute("value")))));
        Assert.Equal(["English", "Français forcé", "عربي \"SDH\""], sets.Select(s => s.Element(ns + "Label")!.Value));
        Assert.Equal(["subs-0.vtt", "subs-1.vtt", "subs-2.vtt"], sets.Select(s => s.Descendants(ns + "BaseURL").Single().Value));
        Assert.Equal(["1", "2", "3"], sets.Select(s => (string?)s.Attribute("id")));

        var parsed = DashParser.Parse(mpd).Representations.Where(r => r.IsText).ToList();
        Assert.Equal(["subs-0.vtt"], parsed[0].Segments);
        Assert.Equal("en", parsed[0].Language);

        // At the root the generation's BaseURL leads the relative file there; a token reaches it too.
        var root = RootManifests.ForRoot(mpd, isDash: true, "g3");
        var tokened = MediaTokens.ApplyToDash(root, "abc");
        Assert.Contains("<BaseURL>g3/?token=abc</BaseURL>", tokened, StringComparison.Ordinal);
        Assert.Contains("<BaseURL>subs-0.vtt?token=abc</BaseURL>", tokened, StringComparison.Ordinal);
    }

    [Fact]
    public void Root_and_token_rewriting_reach_subtitle_playlists_and_segments()
    {
        var package = SubtitlePackager.Package([English], SubtitlePackager.FixedWindows(4, 8));
        var master = HlsWriter.Master([Track("0", TrackKind.Video)], null, package.Renditions);
        var root = RootManifests.ForRoot(master, isDash: false, "g3");
        Assert.Contains("URI=\"g3/subs_0.m3u8\"", root, StringComparison.Ordinal);
        Assert.Contains("URI=\"g3/subs_0.m3u8?token=t\"", MediaTokens.ApplyToHls(root, "t"), StringComparison.Ordinal);
        Assert.Contains("\nsubs-0-00001.vtt?token=t\n", MediaTokens.ApplyToHls(HlsSubtitles.Media(package.Renditions[0]), "t"), StringComparison.Ordinal);
    }

    [Fact]
    public void Windows_follow_the_packaged_segments_from_zero_to_the_duration()
    {
        var track = Track("0", TrackKind.Video);
        Assert.Equal([(0L, 2000L), (2000L, 4000L), (4000L, 5100L)], SubtitlePackager.WindowsOf(track, 5.1));
    }

    [Fact]
    public void No_tracks_make_nothing_and_the_master_is_unchanged()
    {
        var video = Track("0", TrackKind.Video);
        Assert.Same(SubtitlePackage.Empty, SubtitlePackager.Package([], []));
        Assert.Equal(HlsWriter.Master([video]), HlsWriter.Master([video], null, []));
        Assert.Equal(DashWriter.Write([video], "t"), DashWriter.Write([video], "t", []));
    }

    /// <summary>A packaged track with three segments of 2, 2 and 1 s.</summary>
    internal static PackagedTrack Track(string id, TrackKind kind)
    {
        var video = kind == TrackKind.Video;
        var info = new TrackInfo
        {
            TrackId = uint.Parse(id) + 1, Kind = kind, Timescale = video ? 90000u : 48000u, Trak = new Mp4Box(FourCc.Trak, []),
            Defaults = new TrackDefaults(1, 1024, 0, 0), SampleEntry = video ? FourCc.Avc1 : FourCc.Mp4a, Codec = video ? "avc1.64001e" : "mp4a.40.2",
            Width = video ? 320 : 0, Height = video ? 240 : 0, Channels = video ? 0 : 2, SampleRate = video ? 0 : 48000,
        };
        var track = new PackagedTrack(id, "r" + id, info, null);
        var t = info.Timescale;
        track.Segments.Add(new PackagedSegment(1, $"seg-{id}-00001.m4s", 0, 2 * t, 1000));
        track.Segments.Add(new PackagedSegment(2, $"seg-{id}-00002.m4s", 2 * t, 2 * t, 1000));
        track.Segments.Add(new PackagedSegment(3, $"seg-{id}-00003.m4s", 4 * t, t, 1000));
        return track;
    }
}
