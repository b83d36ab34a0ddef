using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Core.Manifests;

namespace TranscodeFarm.Benchmarks;

/// <summary>Manifest handling for a 2-hour film: 1,800 segments of 4 s per rendition, 5 video + 1 audio.</summary>
[MemoryDiagnoser]
public class ManifestBenchmarks
{
    private const int Segments = 1800;
    private string _media = "";
    private Dictionary<string, string> _asset = [];

    [GlobalSetup]
    public void Setup()
    {
        _media = MediaPlaylist(0);
        var master = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"audio\",DEFAULT=YES,URI=\"media_5.m3u8\"\n");
        for (var i = 0; i < 5; i++)
        {
            master.Append(CultureInfo.InvariantCulture, $"#EXT-X-STREAM-INF:BANDWIDTH={(i + 1) * 1_000_000},RESOLUTION=1920x1080,CODECS=\"avc1.640028,mp4a.40.2\",AUDIO=\"a\"\nmedia_{i}.m3u8\n");
        }

        _asset[OutputLayout.HlsMaster] = master.ToString();
        for (var i = 0; i < 6; i++)
        {
            _asset[OutputLayout.MediaPlaylist(i)] = MediaPlaylist(i);
        }

        var mpd = new StringBuilder("""<?xml version="1.0"?><MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT2H0M0S"><Period>""");
        for (var i = 0; i < 6; i++)
        {
            mpd.Append(CultureInfo.InvariantCulture, $"""<AdaptationSet contentType="{(i < 5 ? "video" : "audio")}"><Representation id="{i}" codecs="avc1.640028" bandwidth="1000000"><SegmentTemplate timescale="90000" initialization="init-$RepresentationID$.mp4" media="seg-$RepresentationID$-$Number%05d$.m4s" startNumber="1"><SegmentTimeline><S t="0" d="360000" r="{Segments - 1}"/></SegmentTimeline></SegmentTemplate></Representation></AdaptationSet>""");
        }

        _asset[OutputLayout.DashManifest] = mpd.Append("</Period></MPD>").ToString();
    }

    [Benchmark]
    public HlsMediaPlaylist ParseMediaPlaylist() => HlsParser.ParseMedia(_media);

    [Benchmark]
    public ManifestCheckResult CheckWholeAsset() => ManifestCheck.Check(_asset);

    [Benchmark]
    public DashManifest ParseMpd() => DashParser.Parse(_asset[OutputLayout.DashManifest]);

    private static string MediaPlaylist(int id)
    {
        var sb = new StringBuilder().Append(CultureInfo.InvariantCulture, $"#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-TARGETDURATION:4\n#EXT-X-MEDIA-SEQUENCE:1\n#EXT-X-MAP:URI=\"init-{id}.mp4\"\n");
        for (var n = 1; n <= Segments; n++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"#EXTINF:4.000000,\n#EXT-X-PROGRAM-DATE-TIME:2026-11-22T13:17:54.000+0000\nseg-{id}-{n:00000}.m4s\n");
        }

        return sb.Append("#EXT-X-ENDLIST\n").ToString();
    }
}
