using System.Globalization;
using TranscodeFarm.Core.Ffmpeg;

namespace TranscodeFarm.Core.Planning;

/// <summary>
/// Decides a source's scan from what the container says (ffprobe's field_order) and what idet saw in a sample
/// (decision 027). Containers are often wrong both ways: interlaced captures flagged progressive, progressive content
/// flagged interlaced (PsF), and 3:2 pulled-down film flagged either way, so idet has the last word when it is clear.
/// </summary>
public static class ScanDetector
{
    /// <summary>Fewer decided frames than this and idet's verdict is not trusted (static or flat content).</summary>
    public const int MinFrames = 20;

    /// <summary>idet "disagrees strongly" with a progressive container: this share of decided frames combed...</summary>
    public const double InterlacedShare = 0.8;

    /// <summary>...and this share of the combed frames in one parity. Progressive but busy content (testsrc2's moving
    /// patterns) fools idet into a mix of both parities (41 tff and 25 bff of 75); real interlacing has one.</summary>
    public const double DominantParity = 0.9;

    /// <summary>A container's interlaced flag is overruled when this share of decided frames is progressive (PsF).</summary>
    public const double ProgressiveShare = 0.9;

    /// <summary>3:2 pulldown repeats a field in 2 frames of every 5 (0.4), alternately top and bottom; real interlacing
    /// and progressive video repeat none.</summary>
    public const double MinRepeatedShare = 0.3;
    public const double MaxRepeatedShare = 0.5;

    public static VideoScan Detect(FieldOrder container, IdetReport? idet)
    {
        var said = Said(container);
        if (idet is null)
        {
            return container is FieldOrder.TopFirst or FieldOrder.BottomFirst
                ? new VideoScan(ScanKind.Interlaced, container, $"container: {said}; no idet verdict")
                : VideoScan.Progressive($"container: {said}; no idet verdict");
        }

        var seen = Seen(idet);
        var evidence = $"container: {said}; idet: {seen}";
        var combed = idet.Tff + idet.Bff;
        var idetOrder = idet.Tff >= idet.Bff ? FieldOrder.TopFirst : FieldOrder.BottomFirst;
        var interlacedOrder = container is FieldOrder.TopFirst or FieldOrder.BottomFirst ? container : idetOrder;
        if (IsPulldown(idet))
        {
            return new VideoScan(ScanKind.Telecined, interlacedOrder, evidence);
        }

        var idetInterlaced = idet.Determined >= MinFrames && combed >= InterlacedShare * idet.Determined
            && Math.Max(idet.Tff, idet.Bff) >= DominantParity * combed;
        if (idetInterlaced)
        {
            // idet's parity, even against the container's: deinterlacing with the wrong parity makes motion judder.
            return new VideoScan(ScanKind.Interlaced, idetOrder, evidence);
        }

        var idetProgressive = idet.Determined >= MinFrames && idet.Progressive >= ProgressiveShare * idet.Determined;
        return container is FieldOrder.TopFirst or FieldOrder.BottomFirst && !idetProgressive
            ? new VideoScan(ScanKind.Interlaced, container, evidence)
            : VideoScan.Progressive(evidence);
    }

    /// <summary>ffprobe's field_order words: tt and bt show the top field first, bb and tb the bottom one.</summary>
    public static FieldOrder FromFfprobe(string? fieldOrder) => fieldOrder?.Trim().ToLowerInvariant() switch
    {
        "progressive" => FieldOrder.Progressive,
        "tt" or "bt" => FieldOrder.TopFirst,
        "bb" or "tb" => FieldOrder.BottomFirst,
        _ => FieldOrder.Unknown,
    };

    private static bool IsPulldown(IdetReport idet)
    {
        var repeated = idet.RepeatedTop + idet.RepeatedBottom;
        return idet.Frames >= MinFrames
            && repeated >= MinRepeatedShare * idet.Frames && repeated <= MaxRepeatedShare * idet.Frames
            && Math.Min(idet.RepeatedTop, idet.RepeatedBottom) >= 0.25 * repeated;
    }

    private static string Said(FieldOrder order) => order switch
    {
        FieldOrder.Progressive => "progressive",
        FieldOrder.TopFirst => "top field first",
        FieldOrder.BottomFirst => "bottom field first",
        _ => "no field order",
    };

    private static string Seen(IdetReport r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Tff} tff, {r.Bff} bff, {r.Progressive} progressive of {r.Frames} frames, {r.RepeatedTop + r.RepeatedBottom} with a repeated field");
}
