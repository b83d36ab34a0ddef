using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using TranscodeFarm.Core.Fingerprints;
using TranscodeFarm.Media;

namespace TranscodeFarm.FingerprintEval.Evaluation;

/// <summary>
/// Fingerprints every file of the corpus with the production extractor, <c>jobs</c> at a time. With a cache folder
/// (<c>--fingerprint-cache DIR</c>) a file's fingerprint is kept there, keyed by path, size, modification time and decode
/// mode, so runs that only change matching skip the ~5 minutes of decoding; extraction changes need an empty folder.
/// </summary>
internal static class CorpusFingerprints
{
    public static async Task<(Dictionary<string, MediaFingerprint> ByPath, double Seconds)> ExtractAsync(
        FingerprintExtractor extractor, IReadOnlyList<string> paths, int jobs, CancellationToken cancellationToken, string? cacheDir = null)
    {
        var watch = Stopwatch.StartNew();
        var results = new ConcurrentDictionary<string, MediaFingerprint>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(paths, new ParallelOptions { MaxDegreeOfParallelism = jobs, CancellationToken = cancellationToken }, async (path, ct) =>
        {
            var cached = cacheDir is null ? null : CachePath(cacheDir, path, extractor.FastDecode);
            if (cached is not null && File.Exists(cached))
            {
                results[path] = Read(await File.ReadAllBytesAsync(cached, ct));
                return;
            }

            var (fingerprint, error) = await extractor.ExtractAsync(path, ct);
            results[path] = fingerprint ?? throw new InvalidOperationException($"fingerprinting {path} failed: {error}");
            if (cached is not null)
            {
                Directory.CreateDirectory(cacheDir!);
                await File.WriteAllBytesAsync(cached, Write(fingerprint), ct);
            }
        });
        return (new Dictionary<string, MediaFingerprint>(results, StringComparer.Ordinal), watch.Elapsed.TotalSeconds);
    }

    private static string CachePath(string cacheDir, string path, bool? fastDecode)
    {
        var info = new FileInfo(path);
        var key = $"{Path.GetFullPath(path)}|{info.Length}|{info.LastWriteTimeUtc.Ticks}|{fastDecode}";
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)))[..32];
        return Path.Combine(cacheDir, hash + ".fp");
    }

    // time (f64), quality (i32), hash, mirrored hash, centre hash (32 bytes each); then the audio items (-1: no audio).
    private const int FrameBytes = 8 + 4 + 96;

    private static byte[] Write(MediaFingerprint fingerprint)
    {
        var frames = fingerprint.Video.Frames;
        var audio = fingerprint.Audio;
        var data = new byte[4 + (frames.Count * FrameBytes) + 4 + ((audio?.Count ?? 0) * 4)];
        var span = data.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(span, frames.Count);
        var at = 4;
        foreach (var frame in frames)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(span[at..], frame.TimeSeconds);
            BinaryPrimitives.WriteInt32LittleEndian(span[(at + 8)..], frame.Quality);
            frame.Hash.WriteLittleEndian(span[(at + 12)..]);
            frame.MirroredHash.WriteLittleEndian(span[(at + 44)..]);
            frame.CentreHash.WriteLittleEndian(span[(at + 76)..]);
            at += FrameBytes;
        }

        BinaryPrimitives.WriteInt32LittleEndian(span[at..], audio is null ? -1 : audio.Count);
        at += 4;
        if (audio is not null)
        {
            foreach (var item in audio.Items)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(span[at..], item);
                at += 4;
            }
        }

        return data;
    }

    private static MediaFingerprint Read(byte[] data)
    {
        var span = data.AsSpan();
        var count = BinaryPrimitives.ReadInt32LittleEndian(span);
        var frames = new FingerprintFrame[count];
        var at = 4;
        for (var i = 0; i < count; i++)
        {
            frames[i] = new FingerprintFrame(
                BinaryPrimitives.ReadDoubleLittleEndian(span[at..]),
                Hash256.ReadLittleEndian(span[(at + 12)..]),
                BinaryPrimitives.ReadInt32LittleEndian(span[(at + 8)..]))
            {
                MirroredHash = Hash256.ReadLittleEndian(span[(at + 44)..]),
                CentreHash = Hash256.ReadLittleEndian(span[(at + 76)..]),
            };
            at += FrameBytes;
        }

        var items = BinaryPrimitives.ReadInt32LittleEndian(span[at..]);
        at += 4;
        AudioFingerprint? audio = null;
        if (items >= 0)
        {
            var words = new uint[items];
            for (var i = 0; i < items; i++)
            {
                words[i] = BinaryPrimitives.ReadUInt32LittleEndian(span[(at + (4 * i))..]);
            }

            audio = new AudioFingerprint(words);
        }

        return new MediaFingerprint(new VideoFingerprint(frames), audio);
    }
}
