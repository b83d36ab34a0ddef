using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using TranscodeFarm.Core.Packaging;

namespace TranscodeFarm.Core.Tests.Packaging;

/// <summary>
/// Runs the packager over a fixture made by ffmpeg the way the farm runs it (fragmented, CMAF movflags):
/// 2 s of 128x96 H.264 High (B-frames, CABAC) and mono AAC. The input arrives in small, odd-sized buffer
/// segments so box headers and samples straddle segment boundaries.
/// </summary>
internal static class PackagingFixture
{
    public static byte[] Input => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "ladder-fragmented.mp4"));

    public static async Task<MemorySink> PackageAsync(byte[] input, PackagerOptions options, int chunk = 997, bool releasing = false, Func<IDemuxHandler, IDemuxHandler>? wrap = null)
    {
        var sink = new MemorySink { Releasing = releasing };
        using var packager = new CmafPackager(options, sink);
        var reader = PipeReader.Create(Chunked(input, chunk));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await new FragmentedMp4Demuxer().RunAsync(reader, wrap is null ? packager : wrap(packager), timeout.Token);
        await packager.CompleteAsync(timeout.Token);
        sink.Tracks = packager.Tracks;
        sink.Fingerprint = packager.Fingerprint;
        return sink;
    }

    public static ReadOnlySequence<byte> Chunked(byte[] data, int chunk)
    {
        if (data.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        Chunk? first = null, last = null;
        for (var i = 0; i < data.Length; i += chunk)
        {
            var part = data.AsMemory(i, Math.Min(chunk, data.Length - i));
            last = last is null ? first = new Chunk(part, 0) : last.Append(part);
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    /// <summary>The samples of the input's track (1-based id), straight from its moof/mdat pairs.</summary>
    public static List<byte[]> InputSamples(byte[] input, uint trackId)
    {
        var samples = new List<byte[]>();
        var boxes = Mp4BoxParser.Parse(input);
        var tracks = MoovReader.ReadTracks(boxes.Single(b => b.Type == FourCc.Moov)).ToDictionary(t => t.TrackId);
        long position = 0;
        Mp4Box? moof = null;
        long moofPosition = 0;
        foreach (var box in boxes)
        {
            if (box.Type == FourCc.Moof)
            {
                moof = box;
                moofPosition = position;
            }
            else if (box.Type == FourCc.Mdat && moof is not null)
            {
                var payloadOffset = position - moofPosition + 8;
                foreach (var (id, list) in FragmentReader.Read(moof, moofPosition, box.Body, payloadOffset, tracks))
                {
                    if (id == trackId)
                    {
                        samples.AddRange(list.Select(s => s.Data.ToArray()));
                    }
                }
            }

            position += box.Size;
        }

        return samples;
    }

    /// <summary>A packaged media segment, parsed: its trun sample sizes and the mdat payload.</summary>
    public static (List<uint> Sizes, byte[] Mdat, Mp4Box Traf, int MoofStart) ReadSegment(byte[] segment)
    {
        var boxes = Mp4BoxParser.Parse(segment);
        var moof = boxes.Single(b => b.Type == FourCc.Moof);
        var traf = moof.Child(FourCc.Traf)!;
        var trun = traf.Child(FourCc.Trun)!.Body;
        var count = BinaryPrimitives.ReadUInt32BigEndian(trun.AsSpan(4));
        var sizes = new List<uint>();
        for (var i = 0; i < count; i++)
        {
            sizes.Add(BinaryPrimitives.ReadUInt32BigEndian(trun.AsSpan(12 + (i * 16) + 4)));
        }

        var moofStart = (int)boxes.TakeWhile(b => b.Type != FourCc.Moof).Sum(b => b.Size);
        return (sizes, boxes.Single(b => b.Type == FourCc.Mdat).Body, traf, moofStart);
    }

    public static List<byte[]> Split(byte[] mdat, IReadOnlyList<uint> sizes)
    {
        var result = new List<byte[]>();
        var pos = 0;
        foreach (var size in sizes)
        {
            result.Add(mdat.AsSpan(pos, (int)size).ToArray());
            pos += (int)size;
        }

        return result;
    }

    private sealed class Chunk : ReadOnlySequenceSegment<byte>
    {
        public Chunk(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Chunk Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Chunk(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}

internal sealed class MemorySink : ISegmentSink
{
    public Dictionary<string, byte[]> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>Every object in the order the packager handed it on.</summary>
    public List<PackagedObject> Objects { get; } = [];

    public IReadOnlyList<PackagedTrack> Tracks { get; set; } = [];

    public Core.Fingerprints.VideoFingerprint? Fingerprint { get; set; }

    /// <summary>Gives each segment's pooled buffer back once copied, as a sink that is done with it may.</summary>
    public bool Releasing { get; init; }

    public int Released { get; private set; }

    public ValueTask WriteAsync(PackagedObject packaged, CancellationToken cancellationToken)
    {
        var bytes = packaged.Bytes.ToArray();
        Files.Add(packaged.Name, bytes);
        Objects.Add(packaged with { Bytes = bytes }); // a copy: the packager's buffer may go back to its pool below
        if (Releasing && PooledSegmentMemory.Release(packaged.Bytes))
        {
            Released++;
        }

        return ValueTask.CompletedTask;
    }

    public IEnumerable<byte[]> Segments(string id) => Files.Where(f => f.Key.StartsWith($"seg-{id}-", StringComparison.Ordinal)).OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Value);
}
