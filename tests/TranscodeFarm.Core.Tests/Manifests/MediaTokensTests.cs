using System.Xml;
using TranscodeFarm.Core.Drm;
using TranscodeFarm.Core.Manifests;
using TranscodeFarm.Core.Packaging;
using TranscodeFarm.Core.Packaging.Manifests;
using TranscodeFarm.Core.Tests.Packaging;

namespace TranscodeFarm.Core.Tests.Manifests;

public class MediaTokensTests
{
    private const string Token = "eyJhIjoiYSJ9.sig-_x";

    private static AssetEncryption Encryption(string scheme, string[] systems) =>
        new(new DrmSettings { Scheme = scheme, Systems = systems }, "asset-1", TrackKeySelector.TracksToGenerate(false).Select(ContentKey.Generate).ToList(), []);

    /// <summary>Lines a player turns into a request: URI lines, and the URI attribute of tags.</summary>
    private static List<string> FetchedUris(string playlist) =>
        playlist.Split('\n').Select(l => l.TrimEnd('\r')).SelectMany(l => l.StartsWith('#')
            ? l.StartsWith("#EXT", StringComparison.Ordinal) && l.Contains(':', StringComparison.Ordinal)
                ? HlsParser.ParseAttributes(l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..]).Where(a => a.Key == "URI").Select(a => a.Value)
                : []
            : l.Length > 0 ? [l] : []).ToList();

    [Fact]
    public async Task Every_uri_of_written_hls_playlists_carries_the_token()
    {
        var packaged = await PackagingFixture.PackageAsync(PackagingFixture.Input, new PackagerOptions(1) { TrackNames = ["96p", "aac"] });
        var master = MediaTokens.ApplyToHls(HlsWriter.Master(packaged.Tracks), Token);
        var media = MediaTokens.ApplyToHls(HlsWriter.Media(packaged.Tracks[0]), Token);

        var masterUris = FetchedUris(master);
        Assert.Equal(["media_1.m3u8?token=" + Token, "media_0.m3u8?token=" + Token], masterUris);
        var parsed = HlsParser.ParseMedia(media);
        Assert.Equal(packaged.Tracks[0].InitFileName + "?token=" + Token, parsed.MapUri);
        Assert.Equal(packaged.Tracks[0].Segments.Select(s => s.FileName + "?token=" + Token), parsed.Segments.Select(s => s.Uri));
        Assert.True(parsed.EndList);
    }

    [Fact]
    public async Task Key_uris_on_our_edge_get_the_token_and_data_and_skd_uris_do_not()
    {
        var cenc = Encryption("cenc", ["clearkey", "widevine"]);
        var packaged = await PackagingFixture.PackageAsync(PackagingFixture.Input, new PackagerOptions(1) { EncryptionFor = cenc.For });
        var track = packaged.Tracks[0];
        var uris = FetchedUris(MediaTokens.ApplyToHls(HlsWriter.Media(track, cenc.HlsKeysBeforeMap(track)), Token));
        Assert.Contains(cenc.KeyUri(track.Encryption!.KeyId) + "?token=" + Token, uris);
        Assert.Equal(2, uris.Count(u => u.StartsWith("data:", StringComparison.Ordinal)));
        Assert.All(uris.Where(u => u.StartsWith("data:", StringComparison.Ordinal)), u => Assert.DoesNotContain("token=", u));

        var cbcs = Encryption("cbcs", ["fairplay", "clearkey"]);
        packaged = await PackagingFixture.PackageAsync(PackagingFixture.Input, new PackagerOptions(1) { EncryptionFor = cbcs.For });
        track = packaged.Tracks[0];
        uris = FetchedUris(MediaTokens.ApplyToHls(HlsWriter.Media(track, cbcs.HlsKeysBeforeMap(track)), Token));
        Assert.Contains($"skd://{Convert.ToHexStringLower(track.Encryption!.KeyId.ToByteArray(bigEndian: true))}", uris);
        Assert.All(uris.Where(u => !u.Contains(':', StringComparison.Ordinal)), u => Assert.EndsWith("?token=" + Token, u));
    }

    [Fact]
    public async Task Whole_segment_aes_key_uri_gets_the_token()
    {
        var aes = Encryption("aes-128", ["clearkey"]);
        var packaged = await PackagingFixture.PackageAsync(PackagingFixture.Input, new PackagerOptions(1));
        var key = aes.Aes128KeyFor(isAudio: false, height: 96, index: 0)!;
        var playlist = MediaTokens.ApplyToHls(HlsWriter.Media(packaged.Tracks[0], keysAfterMap: aes.HlsKeysAfterMap(packaged.Tracks[0])), Token);
        Assert.Contains($"#EXT-X-KEY:METHOD=AES-128,URI=\"/keys/asset-1/{key.KeyId:N}?token={Token}\"\n", playlist);
    }

    [Fact]
    public void Tags_with_uris_players_fetch_all_get_the_token()
    {
        const string master = """
            #EXTM3U
            #EXT-X-SESSION-KEY:METHOD=SAMPLE-AES,URI="/keys/a/00",KEYFORMAT="identity"
            #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a",NAME="en",URI="audio/en.m3u8"
            #EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1,URI="iframes.m3u8"
            #EXT-X-STREAM-INF:BANDWIDTH=2,AUDIO="a"
            video/720p.m3u8
            """;
        var result = MediaTokens.ApplyToHls(master, "t");
        Assert.Equal(["/keys/a/00?token=t", "audio/en.m3u8?token=t", "iframes.m3u8?token=t", "video/720p.m3u8?token=t"], FetchedUris(result));
        Assert.Contains("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"en\",URI=\"audio/en.m3u8?token=t\"\n", result);
    }

    [Fact]
    public void Absolute_and_data_uris_blank_lines_and_comments_are_left_alone()
    {
        const string media = "#EXTM3U\n\n# a comment, URI=\"x.m3u8\"\n"
            + "#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"skd://abc\",KEYFORMAT=\"com.apple.streamingkeydelivery\"\n"
            + "#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"DATA:text/plain;base64,AAAA\"\n"
            + "#EXT-X-CONTENT-STEERING:SERVER-URI=\"steer.json\"\n"
            + "#EXTINF:2.0,URI=\"title.m4s\"\n"
            + "https://cdn.example/seg-1.m4s\n"
            + "//cdn.example/seg-2.m4s\n"
            + "   \n";
        Assert.Equal(media, MediaTokens.ApplyToHls(media, "t"));
    }

    [Fact]
    public void Crlf_endings_existing_queries_fragments_and_escaping()
    {
        const string media = "#EXTM3U\r\n#EXT-X-MAP:URI=\"init.mp4?v=2\"\r\n#EXTINF:2.0,\r\nseg-1.m4s#t=0\r\n#EXTINF:2.0,\r\n  seg-2.m4s?\r\n#EXT-X-ENDLIST";
        Assert.Equal(
            "#EXTM3U\r\n#EXT-X-MAP:URI=\"init.mp4?v=2&token=a.b%2Bc%2F%3D\"\r\n#EXTINF:2.0,\r\nseg-1.m4s?token=a.b%2Bc%2F%3D#t=0\r\n#EXTINF:2.0,\r\nseg-2.m4s?token=a.b%2Bc%2F%3D\r\n#EXT-X-ENDLIST",
            MediaTokens.ApplyToHls(media, "a.b+c/="));
    }

    [Fact]
    public async Task Written_mpd_still_parses_and_every_segment_carries_the_token()
    {
        var packaged = await PackagingFixture.PackageAsync(PackagingFixture.Input, new PackagerOptions(1) { TrackNames = ["96p", "aac"] });
        var original = DashWriter.Write(packaged.Tracks, "title & more");
        var rewritten = MediaTokens.ApplyToDash(original, Token);

        var before = DashParser.Parse(original);
        var after = DashParser.Parse(rewritten);
        Assert.Equal(before.Representations.Count, after.Representations.Count);
        foreach (var (b, a) in before.Representations.Zip(after.Representations))
        {
            Assert.Equal(b.Initialization + "?token=" + Token, a.Initialization);
            Assert.Equal(b.Segments.Select(s => s + "?token=" + Token), a.Segments);
            Assert.Matches(@"^seg-\d+-\d{5}\.m4s\?token=", a.Segments[0]); // $Number%05d$ still expands
        }

        // Only the URLs changed: declaration, layout, namespaces and the rest are as written.
        Assert.Equal(original, rewritten.Replace("?token=" + Token, "", StringComparison.Ordinal));
    }

    [Fact]
    public void Mpd_urls_of_every_kind_get_the_token_and_absolute_ones_do_not()
    {
        const string mpd = """
            <?xml version="1.0" encoding="utf-8"?>
            <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static">
              <BaseURL>https://cdn.example/a/</BaseURL>
              <Period>
                <BaseURL> video/ </BaseURL>
                <AdaptationSet contentType="video">
                  <Representation id="v" bandwidth="1">
                    <SegmentTemplate media="seg-$Number$.m4s?v=2" initialization="https://cdn.example/init.mp4" startNumber="1">
                      <SegmentTimeline><S t="0" d="1" /></SegmentTimeline>
                    </SegmentTemplate>
                  </Representation>
                  <Representation id="w" bandwidth="1">
                    <SegmentList>
                      <Initialization sourceURL="init-w.mp4" />
                      <SegmentURL media="w-1.m4s" />
                      <SegmentURL media="data:,x" />
                    </SegmentList>
                  </Representation>
                </AdaptationSet>
              </Period>
            </MPD>
            """;
        var result = MediaTokens.ApplyToDash(mpd, "t");
        Assert.Contains("<BaseURL>https://cdn.example/a/</BaseURL>", result);
        Assert.Contains("<BaseURL>video/?token=t</BaseURL>", result);
        Assert.Contains("media=\"seg-$Number$.m4s?v=2&amp;token=t\"", result);
        Assert.Contains("initialization=\"https://cdn.example/init.mp4\"", result);
        Assert.Contains("<Initialization sourceURL=\"init-w.mp4?token=t\" />", result);
        Assert.Contains("<SegmentURL media=\"w-1.m4s?token=t\" />", result);
        Assert.Contains("<SegmentURL media=\"data:,x\" />", result);
        var template = System.Xml.Linq.XDocument.Parse(result).Descendants().Single(e => e.Name.LocalName == "SegmentTemplate");
        Assert.Equal("seg-$Number$.m4s?v=2&token=t", (string?)template.Attribute("media"));
    }

    [Fact]
    public void Mpd_with_a_dtd_is_refused()
    {
        const string mpd = "<?xml version=\"1.0\"?><!DOCTYPE MPD [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\">&x;</MPD>";
        Assert.Throws<XmlException>(() => MediaTokens.ApplyToDash(mpd, "t"));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void An_empty_token_is_a_caller_bug(string? token)
    {
        Assert.ThrowsAny<ArgumentException>(() => MediaTokens.ApplyToHls("#EXTM3U\n", token!));
        Assert.ThrowsAny<ArgumentException>(() => MediaTokens.ApplyToDash("<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" />", token!));
    }
}
