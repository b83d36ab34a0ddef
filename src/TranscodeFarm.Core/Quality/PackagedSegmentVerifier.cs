using System.Globalization;
using TranscodeFarm.Core.Fingerprints;
using TranscodeFarm.Core.Packaging;
using TranscodeFarm.Core.Packaging.Encryption;

namespace TranscodeFarm.Core.Quality;

/// <summary>
/// The quality gate's check of what is actually published: every packaged segment is read back, decrypted with the
/// asset's keys (whole-segment AES-128 first, then the track's cenc/cbcs as its init segment declares), and each sample
/// must carry exactly the bytes the encoder produced, in order (<see cref="SampleLedger"/>). A packager fault — a damaged
/// or missing sample, a wrong offset, a bad IV or subsample map, a lost last segment — fails here, in any frame, at the
/// cost of a hash, not a decode. Objects of one track must arrive in order (they do: one channel from the packager).
/// </summary>
/// <param name="wholeSegmentKeyFor">A track's HLS whole-segment AES-128 key, or null.</param>
public sealed class PackagedSegmentVerifier(SampleLedger ledger, Func<PackagedTrack, byte[]?> wholeSegmentKeyFor) : IDisposable
{
    private readonly Dictionary<string, TrackState> _tracks = new(StringComparer.Ordinal);
    private readonly HashSet<string> _failed = new(StringComparer.Ordinal);

    /// <summary>Checks one object before it is uploaded; a verdict that names the rendition when it is wrong.</summary>
    public RenditionVerdict? Inspect(PackagedObject packaged)
    {
        ArgumentNullException.ThrowIfNull(packaged);
        if (packaged.Track is not { } track)
        {
            return null;
        }

        var state = _tracks.GetValueOrDefault(track.Id);
        if (packaged.Kind == PackagedKind.Init)
        {
            var (protection, problem) = TrackProtection.FromInit(packaged.Bytes.Span, track.Encryption?.Key);
            if (problem is not null)
            {
                return Fail(track, "init segment: " + problem);
            }

            _tracks[track.Id] = new TrackState(protection is null ? null : new SampleDecryptor(protection), protection);
            return null;
        }

        if (packaged.Kind != PackagedKind.Segment)
        {
            return null;
        }

        if (_failed.Contains(track.Id))
        {
            return null; // its first fault has been told; the rest of the track is out of step with the ledger
        }

        var verdict = state is null ? Fail(track, F($"segment {packaged.SegmentNumber} arrived before the track's init segment")) : Verify(track, state, packaged);
        if (verdict is not null)
        {
            _failed.Add(track.Id);
        }

        return verdict;
    }

    /// <summary>After the last segment: every sample the encoder sent must have been packaged.</summary>
    public IReadOnlyList<RenditionVerdict> Finish(IEnumerable<PackagedTrack> tracks)
    {
        var verdicts = new List<RenditionVerdict>();
        foreach (var track in tracks.Where(t => !_failed.Contains(t.Id)))
        {
            var pending = ledger.Pending(track.Info.TrackId);
            if (pending > 0)
            {
                var recorded = ledger.Recorded(track.Info.TrackId);
                verdicts.Add(Fail(track, F($"the packaged segments carry {recorded - pending} of the encoder's {recorded} samples (the last {pending} are missing)")));
            }
        }

        return verdicts;
    }

    private RenditionVerdict? Verify(PackagedTrack track, TrackState state, PackagedObject packaged)
    {
        var number = packaged.SegmentNumber;
        // A copy: the object's own bytes are what gets uploaded, encrypted.
        var bytes = packaged.Bytes.ToArray();
        if (wholeSegmentKeyFor(track) is { } aes128Key)
        {
            try
            {
                bytes = SegmentAes128.Decrypt(bytes, aes128Key, mediaSequence: number - 1);
            }
            catch (System.Security.Cryptography.CryptographicException ex)
            {
                return Fail(track, F($"segment {number} does not decrypt with its AES-128 key: {ex.Message}"));
            }
        }

        var (samples, isProtected, problem) = SegmentSamples.Read(bytes, state.Protection);
        if (problem is not null)
        {
            return Fail(track, F($"segment {number}: {problem}"));
        }

        for (var i = 0; i < samples.Count; i++)
        {
            var sample = samples[i];
            var span = bytes.AsSpan(sample.Offset, sample.Length);
            if (isProtected)
            {
                state.Decryptor!.Decrypt(span, sample);
            }

            if (!ledger.TryTake(track.Info.TrackId, out var expected))
            {
                return Fail(track, F($"segment {number} carries more samples than the encoder produced"));
            }

            if (SampleDigest.Of(span) != expected)
            {
                return Fail(track, F($"segment {number}, sample {i + 1} is not the encoder's (its bytes were changed while packaging{(isProtected ? " or encrypting" : "")})"));
            }
        }

        return null;
    }

    private static RenditionVerdict Fail(PackagedTrack track, string problem) => new(track.Name, 0, 0, problem, "packaging");

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    public void Dispose()
    {
        foreach (var t in _tracks.Values)
        {
            t.Decryptor?.Dispose();
        }
    }

    private sealed record TrackState(SampleDecryptor? Decryptor, TrackProtection? Protection);
}
