namespace TranscodeFarm.Core.Planning;

/// <summary>How a picture's code values map to light: the HLS VIDEO-RANGE values.</summary>
public enum DynamicRange
{
    /// <summary>BT.709 / BT.1886 (and anything not tagged as HDR).</summary>
    Sdr,

    /// <summary>SMPTE ST 2084 perceptual quantizer (HDR10, Dolby Vision base layers 7 and 8.1).</summary>
    Pq,

    /// <summary>ARIB STD-B67 hybrid log-gamma.</summary>
    Hlg,
}

/// <summary>
/// A source's colour, as ffprobe reads it from the first video frame and the stream (<see cref="ColourProbe"/>).
/// Names are ffmpeg's ("smpte2084", "bt2020", "bt2020nc"); null where the file does not say.
/// </summary>
public sealed record SourceColour(
    string? Transfer,
    string? Primaries,
    string? Matrix,
    int BitDepth,
    MasteringDisplay? Mastering = null,
    ContentLightLevel? LightLevel = null,
    DolbyVisionConfig? DolbyVision = null)
{
    /// <summary>
    /// The first frame carries ATSC A/53 closed captions (CEA-608/708 in the video's SEI). Not colour, but this probe is the
    /// one that sees frame side data (decision 030).
    /// </summary>
    public bool ClosedCaptions { get; init; }

    /// <summary>The range the picture is in: the transfer tag, else the Dolby Vision base layer's signalled compatibility.</summary>
    public DynamicRange Range => Transfer switch
    {
        "smpte2084" => DynamicRange.Pq,
        "arib-std-b67" => DynamicRange.Hlg,
        _ => DolbyVision?.BaseLayerRange ?? DynamicRange.Sdr,
    };

    public bool IsHdr => Range != DynamicRange.Sdr;

    /// <summary>BT.2020 primaries and non-constant-luminance matrix, or untagged (read as BT.2020): what an HDR rung keeps.</summary>
    public bool IsBt2020 => (Primaries is null or "bt2020") && (Matrix is null or "bt2020nc");

    /// <summary>What a producer reads in the job: "HDR10", "PQ (8-bit)", "HLG", "Dolby Vision 8.1 (HDR10 base layer)".</summary>
    public string Describe()
    {
        var range = Range switch
        {
            DynamicRange.Pq when IsBt2020 && BitDepth >= 10 => "HDR10",
            DynamicRange.Pq => $"PQ ({BitDepth}-bit, {Primaries ?? "untagged"} primaries)",
            DynamicRange.Hlg => "HLG",
            _ => "SDR",
        };
        return DolbyVision is { } dv ? $"Dolby Vision {dv.Profile}.{dv.CompatibilityId} ({range} base layer)" : range;
    }
}

/// <summary>
/// SMPTE ST 2086 mastering display, in x265's units: chromaticities in 0.00002, luminance in 0.0001 cd/m².
/// </summary>
public sealed record MasteringDisplay(
    int RedX, int RedY, int GreenX, int GreenY, int BlueX, int BlueY, int WhiteX, int WhiteY, long MaxLuminance, long MinLuminance)
{
    /// <summary>x265's master-display value: "G(x,y)B(x,y)R(x,y)WP(x,y)L(max,min)".</summary>
    public string ToX265() => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"G({GreenX},{GreenY})B({BlueX},{BlueY})R({RedX},{RedY})WP({WhiteX},{WhiteY})L({MaxLuminance},{MinLuminance})");
}

/// <summary>CTA-861.3 content light level: MaxCLL and MaxFALL in cd/m².</summary>
public sealed record ContentLightLevel(int MaxCll, int MaxFall);

/// <summary>
/// ffprobe's "DOVI configuration record" (the dvcC/dvvC box). <paramref name="CompatibilityId"/> is
/// dv_bl_signal_compatibility_id: what the base layer is without the Dolby Vision RPU.
/// </summary>
public sealed record DolbyVisionConfig(int Profile, int Level, bool HasRpu, bool HasEnhancementLayer, int CompatibilityId)
{
    /// <summary>
    /// The base layer's range where it plays without Dolby Vision (1 and 6: HDR10, 4: HLG, 2: SDR); null where it does not:
    /// profile 5 (id 0) is IPTPQc2, whose colours only a Dolby Vision decoder reconstructs.
    /// </summary>
    public DynamicRange? BaseLayerRange => CompatibilityId switch
    {
        1 or 6 => DynamicRange.Pq,
        4 => DynamicRange.Hlg,
        2 => DynamicRange.Sdr,
        _ => null,
    };
}
