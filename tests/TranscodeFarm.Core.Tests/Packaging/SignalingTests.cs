using System.Xml.Linq;
using TranscodeFarm.Core.Drm;
using TranscodeFarm.Core.Manifests;
using TranscodeFarm.Core.Packaging;
using TranscodeFarm.Core.Packaging.Manifests;

namespace TranscodeFarm.Core.Tests.Packaging;

public class SignalingTests
{
    private static readonly XNamespace Mpd = "urn:mpeg:dash:schema:mpd:2011";
    private static readonly XNamespace Cenc = "urn:mpeg:cenc:2013";

    private static AssetEncryption Encryption(string scheme, string[] systems, bool separate = false)
    {
        var tracks = TrackKeySelector.TracksToGenerate(separate).Select(ContentKey.Generate).ToList();
        return new AssetEncryption(new DrmSettings { Scheme = scheme, Systems = systems, SeparateKeys = separate }, "asset-1", tracks, []);
    }

    [Fact]
    public async Task Separate_keys_give_audio_sd_and_hd_their_own_kid_and_adaptation_set()
    {
        var encryption = Encryption("cenc", ["clearkey"], separate: true);
        var input = PackagingFixture.Input;
        var video = await PackagingFixture.PackageAsync(input, new PackagerOptions(1) { EncryptionFor = encryption.For });
        var tracks = video.Tracks;
        var audioKid = tracks.Single(t => t.Info.Kind == TrackKind.Audio).Encryption!.KeyId;
        var sdKid = tracks.Single(t => t.Info.Kind == TrackKind.Video).Encryption!.KeyId; // 96 lines: SD
        Assert.Equal(encryption.Keys.Single(k => k.Track == "audio").KeyId, audioKid);
        Assert.Equal(encryption.Keys.Single(k => k.Track == "sd").KeyId, sdKid);
        var hd = TrackKeySelector.Select(encryption.Keys, isAudio: false, height: 1080);
        Assert.Equal("hd", hd.Track);

        var mpd = XDocument.Parse(DashWriter.Write(tracks, "t"));
        var kids = mpd.Descendants(Mpd + "AdaptationSet")
            .Select(s => (string?)s.Elements(Mpd + "ContentProtection").First().Attribute(Cenc + "default_KID")).ToList();
        Assert.Equal([sdKid.ToString("D"), audioKid.ToString("D")], kids);
    }

    [Fact]
    public async Task Hls_key_tags_follow_the_scheme_and_the_systems()
    {
        var input = PackagingFixture.Input;
        var cenc = Encryption("cenc", ["clearkey", "widevine"]);
        var packaged = await PackagingFixture.PackageAsync(input, new PackagerOptions(1) { EncryptionFor = cenc.For });
        var lines = cenc.HlsKeysBeforeMap(packaged.Tracks[0]);
        Assert.Equal(3, lines.Count);
        Assert.All(lines, l => Assert.StartsWith("#EXT-X-KEY:METHOD=SAMPLE-AES-CTR,", l));
        Assert.Contains(lines, l => l.Contains("URI=\"/keys/asset-1/", StringComparison.Ordinal) && l.EndsWith("KEYFORMAT=\"identity\"", StringComparison.Ordinal));

        var cbcs = Encryption("cbcs", ["clearkey", "fairplay"]);
        packaged = await PackagingFixture.PackageAsync(input, new PackagerOptions(1) { EncryptionFor = cbcs.For });
        var kid = packaged.Tracks[0].Encryption!.KeyId;
        lines = cbcs.HlsKeysBeforeMap(packaged.Tracks[0]);
        Assert.Equal(2, lines.Count); // no "identity" tag with cbcs: hls.js would take it and fail
        var clearKey = HlsParser.ParseAttributes(lines[0]["#EXT-X-KEY:".Length..]);
        Assert.Equal("org.w3.clearkey", clearKey["KEYFORMAT"]);
        Assert.Equal("data:text/plain;base64," + Convert.ToBase64String(kid.ToByteArray(bigEndian: true)), clearKey["URI"]);
        Assert.Equal($"skd://{kid:N}", HlsParser.ParseAttributes(lines[1]["#EXT-X-KEY:".Length..])["URI"]);
        Assert.Empty(cbcs.HlsKeysAfterMap(packaged.Tracks[0]));
    }

    [Fact]
    public void Settings_that_cannot_work_are_refused_before_the_encode()
    {
        Assert.Contains("fairplay needs", new DrmSettings { Scheme = "cenc", Systems = ["fairplay"] }.Validate());
        Assert.Contains("drm.scheme", new DrmSettings { Scheme = "rot13" }.Validate());
        Assert.Contains("drm.systems", new DrmSettings { Systems = ["netflix"] }.Validate());
        Assert.Null(new DrmSettings { Scheme = "cbcs", Systems = ["widevine", "clearkey"] }.Validate());
        var ex = Assert.Throws<ArgumentException>(() => Encryption("cbcs", ["playready"]));
        Assert.Contains("CPIX", ex.Message);
    }

    [Fact]
    public async Task Manifests_describe_what_was_packaged()
    {
        var packaged = await PackagingFixture.PackageAsync(PackagingFixture.Input, new PackagerOptions(1) { TrackNames = ["96p", "aac"] });
        var media = HlsParser.ParseMedia(HlsWriter.Media(packaged.Tracks[0]));
        Assert.Equal("VOD", media.PlaylistType);
        Assert.True(media.EndList);
        Assert.Equal(2, media.Segments.Count);
        Assert.Equal(2.0, media.Segments.Sum(s => s.Duration), 2);
        Assert.Equal(1, media.TargetDuration);
        var master = HlsParser.ParseMaster(HlsWriter.Master(packaged.Tracks));
        var variant = Assert.Single(master.Variants);
        Assert.Equal("128x96", variant.Resolution);
        Assert.Equal("avc1.64000c,mp4a.40.2", variant.Codecs);
        Assert.Equal(packaged.Tracks[0].PeakBitrate + packaged.Tracks[1].PeakBitrate, variant.Bandwidth);
        Assert.Equal("25.000", variant.Attributes["FRAME-RATE"]);
        var mpd = DashParser.Parse(DashWriter.Write(packaged.Tracks, "title"));
        Assert.Equal(2.0, mpd.DurationSeconds!.Value, 1);
        Assert.Equal(["seg-0-00001.m4s", "seg-0-00002.m4s"], mpd.Representations[0].Segments);
        Assert.True(ManifestCheck.Check(new Dictionary<string, string>
        {
            ["master.m3u8"] = HlsWriter.Master(packaged.Tracks),
            ["media_0.m3u8"] = HlsWriter.Media(packaged.Tracks[0]),
            ["media_1.m3u8"] = HlsWriter.Media(packaged.Tracks[1]),
            ["manifest.mpd"] = DashWriter.Write(packaged.Tracks, "title"),
        }).Ok);
    }
}
