using System.Collections.Concurrent;

namespace TranscodeFarm.Core.Quality;

/// <summary>
/// What the encoder sent, per track, in order: each sample's digest (taken before packaging or encryption touches it)
/// and the presentation times of its sync samples. The packaging side records; the verifier takes digests back in the
/// same order as packaged segments arrive, on another thread.
/// </summary>
public sealed class SampleLedger
{
    private readonly ConcurrentDictionary<uint, TrackLedger> _tracks = new();

    public void Record(uint trackId, uint timescale, SampleDigest digest, bool isSync, long presentationTime) =>
        _tracks.GetOrAdd(trackId, _ => new TrackLedger(timescale)).Add(digest, isSync, presentationTime);

    /// <summary>The next digest of the track not yet matched against a packaged sample.</summary>
    public bool TryTake(uint trackId, out SampleDigest digest)
    {
        digest = default;
        return _tracks.TryGetValue(trackId, out var track) && track.Pending.TryDequeue(out digest);
    }

    /// <summary>Samples the encoder sent that no packaged segment has carried (yet).</summary>
    public int Pending(uint trackId) => _tracks.TryGetValue(trackId, out var track) ? track.Pending.Count : 0;

    public int Recorded(uint trackId) => _tracks.TryGetValue(trackId, out var track) ? track.Count : 0;

    /// <summary>Sync samples' presentation times in seconds from the track's first presentation, in decode order.</summary>
    public IReadOnlyList<double> SyncTimes(uint trackId)
    {
        if (!_tracks.TryGetValue(trackId, out var track))
        {
            return [];
        }

        lock (track.SyncTimes)
        {
            var first = track.FirstPresentation;
            return track.SyncTimes.Select(t => (double)(t - first) / track.Timescale).ToList();
        }
    }

    private sealed class TrackLedger(uint timescale)
    {
        public uint Timescale { get; } = timescale == 0 ? 1 : timescale;

        public ConcurrentQueue<SampleDigest> Pending { get; } = new();

        public List<long> SyncTimes { get; } = [];

        public long FirstPresentation { get; private set; } = long.MaxValue;

        public int Count { get; private set; }

        public void Add(SampleDigest digest, bool isSync, long presentationTime)
        {
            Pending.Enqueue(digest);
            lock (SyncTimes)
            {
                Count++;
                FirstPresentation = Math.Min(FirstPresentation, presentationTime);
                if (isSync)
                {
                    SyncTimes.Add(presentationTime);
                }
            }
        }
    }
}
