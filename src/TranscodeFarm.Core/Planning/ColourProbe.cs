using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using TranscodeFarm.Core.Ffmpeg;

namespace TranscodeFarm.Core.Planning;

/// <summary>
/// The colour probe: one ffprobe of the first video frame (<see cref="Arguments"/>) and its JSON read into a
/// <see cref="SourceColour"/> (<see cref="Parse"/>). HDR10 static metadata rides in the HEVC/AV1 bitstream (SEI), so it is
/// frame side data; Matroska carries it in the stream header instead, and the Dolby Vision configuration record (dvcC) is
/// always stream side data: both lists are read.
/// </summary>
public static partial class ColourProbe
{
    /// <summary>ffprobe's name for CEA-608/708 captions the decoder found in the frame's SEI.</summary>
    public const string ClosedCaptionsSideData = "ATSC A53 Part 4 Closed Captions";

    /// <summary>ffprobe's arguments: first video stream, first packet only, the same allow-list as every source input.</summary>
    public static IReadOnlyList<string> Arguments(string path) =>
    [
        "-v", "error",
        "-select_streams", "v:0",
        "-read_intervals", "%+#1",
        "-show_entries",
        "stream=pix_fmt,bits_per_raw_sample,color_transfer,color_primaries,color_space:stream_side_data_list"
            + ":frame=pix_fmt,color_transfer,color_primaries,color_space:frame_side_data_list",
        "-show_frames",
        "-of", "json",
        .. SourceFormats.Input(path),
    ];

    /// <summary>Null when the JSON has no video stream.</summary>
    /// <exception cref="FormatException">Not ffprobe's JSON.</exception>
    public static SourceColour? Parse(string json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new FormatException("the colour probe did not return JSON: " + ex.Message, ex);
        }

        using (doc)
        {
            var stream = First(doc.RootElement, "streams");
            if (stream is null)
            {
                return null;
            }

            var frame = First(doc.RootElement, "frames");
            // The frame says what the decoder actually sees; the stream header is the fallback (some containers tag only it).
            string? Tag(string name) => Text(frame, name) ?? Text(stream, name);
            var sideData = SideData(frame).Concat(SideData(stream)).ToList();
            return new SourceColour(
                Tag("color_transfer"),
                Tag("color_primaries"),
                Tag("color_space"),
                BitDepth(Tag("pix_fmt"), Text(stream, "bits_per_raw_sample")),
                sideData.Select(Mastering).FirstOrDefault(m => m is not null),
                sideData.Select(LightLevel).FirstOrDefault(l => l is not null),
                sideData.Select(DolbyVision).FirstOrDefault(d => d is not null))
            {
                ClosedCaptions = SideData(frame).Any(e => IsType(e, ClosedCaptionsSideData)),
            };
        }
    }

    private static JsonElement? First(JsonElement root, string array) =>
        root.TryGetProperty(array, out var list) && list.ValueKind == JsonValueKind.Array && list.GetArrayLength() > 0 ? list[0] : null;

    private static IEnumerable<JsonElement> SideData(JsonElement? element) =>
        element is { } e && e.TryGetProperty("side_data_list", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().ToList()
            : [];

    private static string? Text(JsonElement? element, string name)
    {
        if (element is not { } e || !e.TryGetProperty(name, out var value))
        {
            return null;
        }

        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        return text is null or "" or "unknown" or "N/A" ? null : text;
    }

    /// <summary>From the pixel format ("yuv420p10le", "p010le", "gbrp12le"); 8 when it names none.</summary>
    internal static int BitDepth(string? pixelFormat, string? bitsPerRawSample)
    {
        if (pixelFormat is not null && DepthSuffix().Match(pixelFormat) is { Success: true } m)
        {
            return int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        return int.TryParse(bitsPerRawSample, NumberStyles.None, CultureInfo.InvariantCulture, out var bits) && bits is >= 8 and <= 16 ? bits : 8;
    }

    [GeneratedRegex("(9|10|12|14|16)(le|be)$")]
    private static partial Regex DepthSuffix();

    private static bool IsType(JsonElement e, string type) => Text(e, "side_data_type") == type;

    private static MasteringDisplay? Mastering(JsonElement e)
    {
        if (!IsType(e, "Mastering display metadata"))
        {
            return null;
        }

        // ffprobe prints rationals ("34000/50000"); x265 wants chromaticity in 1/50000 and luminance in 1/10000 cd/m².
        int? Chroma(string name) => Rational(Text(e, name)) is { } v ? (int)Math.Round(v * 50_000) : null;
        long? Luminance(string name) => Rational(Text(e, name)) is { } v ? (long)Math.Round(v * 10_000) : null;
        return (Chroma("red_x"), Chroma("red_y"), Chroma("green_x"), Chroma("green_y"), Chroma("blue_x"), Chroma("blue_y"),
                Chroma("white_point_x"), Chroma("white_point_y"), Luminance("max_luminance"), Luminance("min_luminance")) is
            ({ } rx, { } ry, { } gx, { } gy, { } bx, { } by, { } wx, { } wy, { } max, { } min)
            ? new MasteringDisplay(rx, ry, gx, gy, bx, by, wx, wy, max, min)
            : null; // a display without primaries or luminance ("has_primaries": 0) says nothing worth passing on
    }

    private static ContentLightLevel? LightLevel(JsonElement e) =>
        IsType(e, "Content light level metadata") && Int(e, "max_content") is { } cll && Int(e, "max_average") is { } fall
            ? new ContentLightLevel(cll, fall)
            : null;

    private static DolbyVisionConfig? DolbyVision(JsonElement e) =>
        IsType(e, "DOVI configuration record") && Int(e, "dv_profile") is { } profile
            ? new DolbyVisionConfig(profile, Int(e, "dv_level") ?? 0, Int(e, "rpu_present_flag") == 1, Int(e, "el_present_flag") == 1,
                Int(e, "dv_bl_signal_compatibility_id") ?? 0)
            : null;

    private static int? Int(JsonElement e, string name) =>
        int.TryParse(Text(e, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static double? Rational(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain) ? plain : null;
        }

        return double.TryParse(text.AsSpan(0, slash), NumberStyles.Float, CultureInfo.InvariantCulture, out var num)
            && double.TryParse(text.AsSpan(slash + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var den) && den > 0
            ? num / den
            : null;
    }
}
