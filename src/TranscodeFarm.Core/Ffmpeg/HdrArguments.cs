using System.Globalization;
using TranscodeFarm.Core.Planning;

namespace TranscodeFarm.Core.Ffmpeg;

/// <summary>
/// The ffmpeg pieces for an HDR source (decision 028): the tone map that makes the SDR rungs, and the tags and x265
/// parameters that keep an HDR rung HDR. Names are whitelisted, never copied from the probe into an argument.
/// </summary>
public static class HdrArguments
{
    /// <summary>SDR reference white in cd/m²: zscale's linear 1.0, and tonemap's unit of peak.</summary>
    private const int ReferenceWhite = 100;

    /// <summary>BT.2100's nominal HLG display peak, and the PQ peak assumed when the source carries no metadata.</summary>
    private const int DefaultPeakNits = 1000;

    /// <summary>
    /// HDR → BT.709 SDR, 8-bit 4:2:0, once per source (before the ladder's split). zscale linearizes (the input's transfer,
    /// primaries and matrix are named from the probe, so an untagged Dolby Vision base layer converts too), converts the
    /// primaries in linear light, then tonemap's Hable curve rolls the highlights off (desat=0: the default desaturation
    /// greys out bright saturated colours), and zscale writes BT.709 limited range. Hable rather than Mobius: Mobius is
    /// linear up to its knee and then compresses hard, which clips 1000–4000 cd/m² highlights; Hable's filmic shoulder keeps
    /// their detail at the cost of slightly darker mid-tones. The peak is the source's MaxCLL, else its mastering display's
    /// maximum, else 1000 cd/m² (and 1000 for HLG): fixed per source, so every rung and the gate see the same picture.
    /// </summary>
    public static string ToneMapToBt709(SourceColour source)
    {
        var peak = (PeakNits(source) / (double)ReferenceWhite).ToString("0.##", CultureInfo.InvariantCulture);
        return $"zscale=tin={Transfer(source.Range)}:pin={Primaries(source)}:min={Matrix(source)}:t=linear:npl={ReferenceWhite},format=gbrpf32le,"
            + $"zscale=p=bt709,tonemap=tonemap=hable:desat=0:peak={peak},zscale=t=bt709:m=bt709:r=tv,format=yuv420p";
    }

    /// <summary>Tags of an SDR rung made from an HDR source: BT.709 everywhere (container and bitstream).</summary>
    public static IReadOnlyList<string> Bt709Tags(string stream) =>
    [
        $"-color_primaries:v:{stream}", "bt709",
        $"-color_trc:v:{stream}", "bt709",
        $"-colorspace:v:{stream}", "bt709",
        $"-color_range:v:{stream}", "tv",
    ];

    /// <summary>
    /// An HDR rung: HEVC Main10 as hvc1 (parameter sets in the sample entry, which Apple requires), the source's transfer,
    /// primaries and matrix in the container and the VUI, and for PQ the HDR10 SEI (mastering display, content light level).
    /// The pixel format comes separately, after the ladder-wide yuv420p (ffmpeg keeps the last one for a stream).
    /// </summary>
    public static IReadOnlyList<string> HdrOutput(string stream, SourceColour source)
    {
        var transfer = Transfer(source.Range);
        // The planner keeps HDR rungs only for BT.2020 sources (SourceColour.IsBt2020), so these are the source's own.
        const string primaries = "bt2020";
        const string matrix = "bt2020nc";
        var x265 = new List<string> { "log-level=error", $"colorprim={primaries}", $"transfer={transfer}", $"colormatrix={matrix}", "range=limited" };
        if (source.Range == DynamicRange.Pq)
        {
            x265.Add("hdr10=1");
            x265.Add("hdr10-opt=1");
            if (source.Mastering is { } m)
            {
                x265.Add("master-display=" + m.ToX265());
            }

            if (source.LightLevel is { } l)
            {
                x265.Add(string.Create(CultureInfo.InvariantCulture, $"max-cll={l.MaxCll},{l.MaxFall}"));
            }
        }

        return
        [
            $"-tag:v:{stream}", "hvc1",
            $"-color_primaries:v:{stream}", primaries,
            $"-color_trc:v:{stream}", transfer,
            $"-colorspace:v:{stream}", matrix,
            $"-color_range:v:{stream}", "tv",
            $"-x265-params:v:{stream}", string.Join(':', x265),
        ];
    }

    /// <summary>ffmpeg's, zscale's and x265's name of an HDR transfer.</summary>
    public static string Transfer(DynamicRange range) => range switch
    {
        DynamicRange.Pq => "smpte2084",
        DynamicRange.Hlg => "arib-std-b67",
        _ => "bt709",
    };

    /// <summary>The source's primaries where all three tools know the name; BT.2020 otherwise (what HDR is mastered in).</summary>
    public static string Primaries(SourceColour source) => source.Primaries is "bt709" or "bt2020" or "smpte432" or "smpte431" ? source.Primaries : "bt2020";

    /// <summary>The source's matrix where all three tools know the name; BT.2020 non-constant otherwise.</summary>
    public static string Matrix(SourceColour source) => source.Matrix is "bt709" or "bt2020nc" or "bt2020c" ? source.Matrix : "bt2020nc";

    internal static int PeakNits(SourceColour source)
    {
        if (source.Range != DynamicRange.Pq)
        {
            return DefaultPeakNits;
        }

        var nits = source.LightLevel is { MaxCll: > 0 } l ? l.MaxCll
            : source.Mastering is { MaxLuminance: > 0 } m ? (int)Math.Min(int.MaxValue, m.MaxLuminance / 10_000)
            : DefaultPeakNits;
        return Math.Clamp(nits, ReferenceWhite, 10_000);
    }
}
