using System.Xml.Linq;
using TranscodeFarm.Core.Manifests;
using TranscodeFarm.Core.Packaging;
using TranscodeFarm.Core.Packaging.Manifests;
using TranscodeFarm.Core.Planning;
using TranscodeFarm.Core.Tests.Packaging;

namespace TranscodeFarm.Core.Tests.Audio;

/// <summary>HLS groups and DASH adaptation sets for several audio languages (decision 029), on real packaged tracks.</summary>
public class AudioManifestTests
{
    private static async Task<List<PackagedTrack>> TracksAsync()
    {
        var packaged = await PackagingFixture.PackageAsync(PackagingFixture.Input, new PackagerOptions(1) { TrackNames = ["96p", "aac"] });
        var video = packaged.Tracks[0];
        var audio = packaged.Tracks[1];
        PackagedTrack Audio(int id, int channels, AudioTrackLabel label)
        {
            var track = new PackagedTrack(id.ToString(System.Globalization.CultureInfo.InvariantCulture), $"a{id}", audio.Info with { Channels = channels }, null) { Label = label };
            track.Segments.AddRange(audio.Segments);
            return track;
        }

        return
        [
            video,
            Audio(1, 2, new AudioTrackLabel("en", "English", IsDefault: true)),
            Audio(2, 2, new AudioTrackLabel("fr", "Français \"VF\"")),
            Audio(3, 6, new AudioTrackLabel("en", "English 5.1")),
            Audio(4, 2, new AudioTrackLabel("en", "English (audio description)", DescribesVideo: true)),
        ];
    }

    [Fact]
    public async Task Hls_groups_per_layout_each_offering_every_language_and_each_variant_names_its_group()
    {
        var tracks = await TracksAsync();
        var master = HlsWriter.Master(tracks);
        var lines = master.Split('\n').Where(l => l.StartsWith("#EXT-X-MEDIA", StringComparison.Ordinal)).ToList();
        Assert.Equal([
            "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio-aac-2\",LANGUAGE=\"en\",NAME=\"English\",DEFAULT=YES,AUTOSELECT=YES,CHANNELS=\"2\",URI=\"media_1.m3u8\"",
            "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio-aac-2\",LANGUAGE=\"fr\",NAME=\"Français 'VF'\",DEFAULT=NO,AUTOSELECT=YES,CHANNELS=\"2\",URI=\"media_2.m3u8\"",
            "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio-aac-2\",LANGUAGE=\"en\",NAME=\"English (audio description)\",DEFAULT=NO,AUTOSELECT=YES,CHANNELS=\"2\",CHARACTERISTICS=\"public.accessibility.describes-video\",URI=\"media_4.m3u8\"",
            // English has its own 5.1; French and the description are offered by their stereo playlists.
            "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio-aac-6\",LANGUAGE=\"fr\",NAME=\"Français 'VF'\",DEFAULT=NO,AUTOSELECT=YES,CHANNELS=\"2\",URI=\"media_2.m3u8\"",
            "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio-aac-6\",LANGUAGE=\"en\",NAME=\"English 5.1\",DEFAULT=YES,AUTOSELECT=YES,CHANNELS=\"6\",URI=\"media_3.m3u8\"",
            "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio-aac-6\",LANGUAGE=\"en\",NAME=\"English (audio description)\",DEFAULT=NO,AUTOSELECT=YES,CHANNELS=\"2\",CHARACTERISTICS=\"public.accessibility.describes-video\",URI=\"media_4.m3u8\"",
        ], lines);

        var parsed = HlsParser.ParseMaster(master);
        Assert.Equal(["audio-aac-2", "audio-aac-6"], parsed.Variants.Select(v => v.Attributes["AUDIO"]));
        Assert.Equal(tracks[0].PeakBitrate + tracks[1].PeakBitrate, parsed.Variants[0].Bandwidth);
        var manifests = tracks.ToDictionary(HlsWriter.PlaylistName, t => HlsWriter.Media(t));
        manifests["master.m3u8"] = master;
        Assert.True(ManifestCheck.Check(manifests, withDash: false).Ok);
    }

    [Fact]
    public async Task Audio_only_with_several_languages_gets_a_variant_per_group_that_names_it()
    {
        var audio = (await TracksAsync()).Skip(1).ToList();
        var master = HlsParser.ParseMaster(HlsWriter.Master(audio));
        Assert.Equal(["audio-aac-2 media_1.m3u8 mp4a.40.2", "audio-aac-6 media_3.m3u8 mp4a.40.2"],
            master.Variants.Select(v => $"{v.Attributes["AUDIO"]} {v.Uri} {v.Codecs}"));
        Assert.Equal(6, master.Media.Count);
        Assert.False(master.Variants[0].Attributes.ContainsKey("RESOLUTION"));
    }

    [Fact]
    public void The_manifest_check_refuses_a_missing_group_two_defaults_and_a_repeated_name()
    {
        const string master = """
            #EXTM3U
            #EXT-X-VERSION:7
            #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a",LANGUAGE="en",NAME="English",DEFAULT=YES,URI="media_1.m3u8"
            #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a",LANGUAGE="fr",NAME="English",DEFAULT=YES,URI="media_1.m3u8"
            #EXT-X-STREAM-INF:BANDWIDTH=1,CODECS="mp4a.40.2",AUDIO="b"
            media_1.m3u8
            """;
        var problems = ManifestCheck.Check(new Dictionary<string, string> { ["master.m3u8"] = master }, withDash: false).Problems;
        Assert.Contains("variant media_1.m3u8 names audio group 'b', which has no EXT-X-MEDIA", problems);
        Assert.Contains("audio group 'a' has more than one DEFAULT=YES", problems);
        Assert.Contains("audio group 'a' has two renditions named 'English'", problems);
    }

    [Fact]
    public async Task Dash_has_a_set_per_language_role_and_layout()
    {
        XNamespace ns = "urn:mpeg:dash:schema:mpd:2011";
        var mpd = XDocument.Parse(DashWriter.Write(await TracksAsync(), "t"));
        var sets = mpd.Descendants(ns + "AdaptationSet").Where(s => (string?)s.Attribute("contentType") == "audio").Select(s => string.Join('|',
            (string?)s.Attribute("lang"), (string?)s.Element(ns + "Label"), (string?)s.Element(ns + "Role")!.Attribute("value"),
            (string?)s.Element(ns + "Accessibility")?.Attribute("schemeIdUri"),
            string.Join(',', s.Elements(ns + "Representation").Select(r => (string?)r.Element(ns + "AudioChannelConfiguration")!.Attribute("value")))));
        Assert.Equal([
            "en|English|main||2",
            "fr|Français \"VF\"|alternate||2",
            "en|English 5.1|alternate||6",
            "en|English (audio description)|description|urn:tva:metadata:cs:AudioPurposeCS:2007|2",
        ], sets);
    }

    [Fact]
    public async Task Unlabelled_audio_stays_und_in_one_group_as_before()
    {
        var packaged = await PackagingFixture.PackageAsync(PackagingFixture.Input, new PackagerOptions(1) { TrackNames = ["96p", "aac"] });
        var media = HlsParser.ParseMaster(HlsWriter.Master(packaged.Tracks)).Media.Single();
        Assert.Equal(("und", "aac", "YES"), (media.Attributes["LANGUAGE"], media.Attributes["NAME"], media.Attributes["DEFAULT"]));
    }

    [Theory]
    [InlineData(new byte[] { 0x11, 0x90 }, 2)] // AAC-LC, 48 kHz, channelConfiguration 2
    [InlineData(new byte[] { 0x11, 0xB0 }, 6)] // 5.1
    [InlineData(new byte[] { 0x11, 0xB8 }, 8)] // 7 = 7.1
    [InlineData(new byte[] { 0x11, 0x88 }, 1)]
    [InlineData(new byte[] { 0x11, 0x80 }, null)] // 0: a program config element says
    [InlineData(new byte[] { 0x17, 0x80, 0x5D, 0xC0, 0x10 }, 2)] // explicit 24-bit sampling frequency (48000), then channels
    [InlineData(new byte[] { 0x11 }, null)]
    public void Reads_channels_from_the_aac_config_not_the_sample_entry(byte[] config, int? channels) =>
        Assert.Equal(channels, MoovReader.AacChannels(config));
}
