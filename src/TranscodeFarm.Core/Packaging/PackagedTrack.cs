using TranscodeFarm.Core.Packaging.Encryption;

namespace TranscodeFarm.Core.Packaging;

/// <summary>One written segment: its number in the template, timing in the track timescale, and size.</summary>
public sealed record PackagedSegment(int Number, string FileName, long StartTime, long Duration, long Bytes);

/// <summary>A packaged track: what the manifest writers need to describe it.</summary>
public sealed class PackagedTrack(string id, string name, TrackInfo info, TrackEncryption? encryption)
{
    public string Id { get; } = id;

    /// <summary>The rendition's name in the profile ("720p", "aac-stereo").</summary>
    public string Name { get; } = name;

    public TrackInfo Info { get; } = info;

    /// <summary>An audio track's language, name and role (decision 029); null: "und", named after the rendition.</summary>
    public Planning.AudioTrackLabel? Label { get; init; }

    public TrackEncryption? Encryption { get; } = encryption;

    /// <summary>The video's dynamic range as planned: HLS VIDEO-RANGE, the DASH colour properties.</summary>
    public Planning.DynamicRange Range { get; init; }

    public string InitFileName => $"init-{Id}.mp4";

    public List<PackagedSegment> Segments { get; } = [];

    /// <summary>Most common sample duration, in the track timescale: the frame duration of video.</summary>
    public long TypicalSampleDuration { get; set; }

    public double DurationSeconds => Segments.Sum(s => (double)s.Duration) / Info.Timescale;

    /// <summary>
    /// Peak bit rate (HLS BANDWIDTH, DASH @bandwidth) as RFC 8216 §4.3.4.2 measures it: over runs of contiguous segments
    /// lasting at least half the target duration, so a one-frame last segment cannot pass for the peak.
    /// </summary>
    public long PeakBitrate
    {
        get
        {
            if (Segments.Count == 0)
            {
                return 0;
            }

            var minimum = Segments.Max(s => s.Duration) / 2.0;
            double peak = 0;
            for (var i = 0; i < Segments.Count; i++)
            {
                long bytes = 0, duration = 0;
                for (var j = i; j < Segments.Count && duration < minimum; j++)
                {
                    bytes += Segments[j].Bytes;
                    duration += Segments[j].Duration;
                }

                if (duration >= minimum && duration > 0)
                {
                    peak = Math.Max(peak, bytes * 8.0 * Info.Timescale / duration);
                }
            }

            return (long)Math.Ceiling(peak);
        }
    }

    public long AverageBitrate => DurationSeconds <= 0 ? 0 : (long)(Segments.Sum(s => s.Bytes) * 8.0 / DurationSeconds);

    /// <summary>Pixel aspect from the pasp box, "1:1" when there is none.</summary>
    public string SampleAspect
    {
        get
        {
            var pasp = Info.Trak.Find(FourCc.Mdia, FourCc.Minf, FourCc.Stbl, FourCc.Stsd)?.Children?.FirstOrDefault()?.Child(FourCc.Pasp);
            if (pasp is { Body.Length: >= 8 })
            {
                var h = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(pasp.Body);
                var v = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(pasp.Body.AsSpan(4));
                if (h > 0 && v > 0)
                {
                    return $"{h}:{v}";
                }
            }

            return "1:1";
        }
    }
}
