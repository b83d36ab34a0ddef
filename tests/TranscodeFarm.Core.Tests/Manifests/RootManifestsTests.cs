using TranscodeFarm.Core.Manifests;

namespace TranscodeFarm.Core.Tests.Manifests;

public sealed class RootManifestsTests
{
    [Fact]
    public void An_hls_master_at_the_root_leads_relative_uris_into_the_generation_and_leaves_the_others()
    {
        const string master = "#EXTM3U\r\n#EXT-X-VERSION:7\r\n"
            + "#EXT-X-SESSION-KEY:METHOD=SAMPLE-AES,URI=\"/keys/a1/0011\",KEYFORMAT=\"identity\"\r\n"
            + "#EXT-X-SESSION-KEY:METHOD=SAMPLE-AES,URI=\"data:text/plain;base64,AAAA\",KEYFORMAT=\"org.w3.clearkey\"\r\n"
            + "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",NAME=\"a,b\",URI=\"media_2.m3u8\"\r\n"
            + "#EXT-X-STREAM-INF:BANDWIDTH=1000,AUDIO=\"audio\"\r\nmedia_0.m3u8\r\n"
            + "#EXT-X-STREAM-INF:BANDWIDTH=500\r\nhttps://cdn.example/media_1.m3u8\r\n";

        var root = RootManifests.ForRoot(master, isDash: false, "g7");

        Assert.Equal(master
            .Replace("URI=\"media_2.m3u8\"", "URI=\"g7/media_2.m3u8\"", StringComparison.Ordinal)
            .Replace("\r\nmedia_0.m3u8\r\n", "\r\ng7/media_0.m3u8\r\n", StringComparison.Ordinal), root);
    }

    [Fact]
    public void An_mpd_at_the_root_gets_a_base_url_after_its_program_information()
    {
        const string mpd = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"static\">"
            + "<ProgramInformation><Title>t</Title></ProgramInformation><Period id=\"0\"/></MPD>\n";

        var root = RootManifests.ForRoot(mpd, isDash: true, "g7");

        Assert.Contains("</ProgramInformation><BaseURL>g7/</BaseURL><Period", root, StringComparison.Ordinal);
        var parsed = System.Xml.Linq.XDocument.Parse(root);
        Assert.Equal("g7/", parsed.Root!.Element(System.Xml.Linq.XName.Get("BaseURL", "urn:mpeg:dash:schema:mpd:2011"))!.Value);
    }

    [Fact]
    public void An_mpd_with_base_urls_keeps_absolute_ones_and_leads_relative_ones()
    {
        const string mpd = "<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\"><BaseURL>https://cdn.example/a/</BaseURL><BaseURL>media/</BaseURL><Period/></MPD>";

        var root = RootManifests.ForRoot(mpd, isDash: true, "g2/");

        Assert.Contains("<BaseURL>https://cdn.example/a/</BaseURL><BaseURL>g2/media/</BaseURL>", root, StringComparison.Ordinal);
    }

    [Fact]
    public void An_mpd_with_a_dtd_is_refused()
    {
        const string mpd = "<!DOCTYPE MPD [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\">&x;</MPD>";
        Assert.Throws<System.Xml.XmlException>(() => RootManifests.ForRoot(mpd, isDash: true, "g1"));
    }
}
