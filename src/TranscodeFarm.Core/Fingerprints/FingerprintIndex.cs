namespace TranscodeFarm.Core.Fingerprints;

/// <summary>
/// Finds which indexed assets a video (or an excerpt of ≥ ~5 s) comes from, in three steps:
/// <list type="number">
/// <item>Multi-index hashing: each asset keyframe is filed under its 16 chunks of 16 bits. A query keyframe looks up its
/// chunks (and their one-bit neighbours); any keyframe within 31 bits shares at least one chunk within 1 bit.</item>
/// <item>Voting: each candidate pair close enough in full Hamming distance votes for the (asset, time offset) bins its
/// two runs allow; the same content lines up at one offset, chance hits scatter.</item>
/// <item>Verification: the best candidates are checked frame by frame around their offset (<see cref="SequenceVerifier"/>).</item>
/// </list>
/// Read-mostly and thread-safe: queries share a read lock, Add and Remove take the write lock. Not persisted; the
/// service rebuilds it from the stored fingerprints at start.
/// </summary>
public sealed class FingerprintIndex : IDisposable
{
    private const int ChunkValues = 1 << Hash256.ChunkBits;
    private const long CloseVote = 1 << 16;

    private readonly ReaderWriterLockSlim _gate = new();
    // [view][chunk][value]: view 0 = the assets' frames, view 1 = their centre views (probed differently, see Probe).
    private readonly List<Posting>?[][][] _tables;
    private readonly List<IndexedAsset?> _slots = [];
    private readonly Stack<int> _freeSlots = new();
    // An asset's views (its frames, and their centre hashes when it has them) each take a slot: the voting and the
    // verification work on one view at a time, and results are merged per asset id.
    private readonly Dictionary<string, int[]> _slotById = new(StringComparer.Ordinal);
    private int _runCount;

    public FingerprintIndex(FingerprintIndexOptions? options = null)
    {
        Options = options ?? new FingerprintIndexOptions();
        Options.Validate();
        _tables = new List<Posting>?[2][][];
        for (var v = 0; v < _tables.Length; v++)
        {
            _tables[v] = new List<Posting>?[Hash256.ChunkCount][];
            for (var c = 0; c < Hash256.ChunkCount; c++)
            {
                _tables[v][c] = new List<Posting>?[ChunkValues];
            }
        }
    }

    public FingerprintIndexOptions Options { get; }

    public int AssetCount
    {
        get
        {
            _gate.EnterReadLock();
            try
            {
                return _slotById.Count;
            }
            finally
            {
                _gate.ExitReadLock();
            }
        }
    }

    /// <summary>Keyframes held in the tables (each filed 16 times): the index's memory grows with this.</summary>
    public int KeyframeCount
    {
        get
        {
            _gate.EnterReadLock();
            try
            {
                return _runCount;
            }
            finally
            {
                _gate.ExitReadLock();
            }
        }
    }

    /// <summary>
    /// Adds an asset, replacing any fingerprint already indexed under the same id. Frames with centre hashes are also
    /// filed as a second view, so a copy cropped to the centre (issue 17) finds the asset by its whole-frame hash.
    /// </summary>
    public void Add(string assetId, VideoFingerprint fingerprint)
    {
        ArgumentException.ThrowIfNullOrEmpty(assetId);
        ArgumentNullException.ThrowIfNull(fingerprint);
        // Selecting keyframes needs no lock; only filing them does.
        var views = (fingerprint.HasCentreHashes ? new[] { fingerprint, fingerprint.CentreView() } : [fingerprint])
            .Select((view, v) => new IndexedAsset(assetId, view, KeyframeRun.Select(view, Options).ToArray(), v))
            .ToArray();
        _gate.EnterWriteLock();
        try
        {
            RemoveLocked(assetId);
            var slots = new int[views.Length];
            for (var v = 0; v < views.Length; v++)
            {
                var slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : AppendSlot();
                slots[v] = slot;
                _slots[slot] = views[v];
                var runs = views[v].Runs;
                for (var r = 0; r < runs.Length; r++)
                {
                    for (var c = 0; c < Hash256.ChunkCount; c++)
                    {
                        var table = _tables[v][c];
                        var value = runs[r].Key.Chunk(c);
                        (table[value] ??= []).Add(new Posting(slot, r));
                    }
                }

                _runCount += runs.Length;
            }

            _slotById[assetId] = slots;
        }
        finally
        {
            _gate.ExitWriteLock();
        }
    }

    public bool Remove(string assetId)
    {
        ArgumentNullException.ThrowIfNull(assetId);
        _gate.EnterWriteLock();
        try
        {
            return RemoveLocked(assetId);
        }
        finally
        {
            _gate.ExitWriteLock();
        }
    }

    public bool Contains(string assetId)
    {
        ArgumentNullException.ThrowIfNull(assetId);
        _gate.EnterReadLock();
        try
        {
            return _slotById.ContainsKey(assetId);
        }
        finally
        {
            _gate.ExitReadLock();
        }
    }

    /// <summary>
    /// The assets the query matches, best score first; empty when none passes verification. A query that carries
    /// mirrored hashes (<see cref="VideoFingerprint.HasMirroredHashes"/>) and matches nothing as it is, is looked up again
    /// as its mirror image: a left-right flipped copy finds its original (issue 17).
    /// </summary>
    public IReadOnlyList<FingerprintMatch> Query(VideoFingerprint query, int maxResults = 5)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxResults);
        var matches = QueryOne(query);
        // Only when the picture as it is finds nothing: the second lookup costs ~3× the first on queries that match
        // nothing (measured over 10,000 assets), and an upload that already matches plainly is rarely also a flipped copy
        // of something else. The cost: such a compilation reports only its plain matches.
        if (matches.Count == 0 && query.HasMirroredHashes)
        {
            matches.AddRange(QueryOne(query.Mirrored()));
        }

        return matches
            .GroupBy(m => m.AssetId, StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(m => m.Score).ThenByDescending(m => m.MatchedSeconds).First())
            .OrderByDescending(m => m.Score).ThenByDescending(m => m.MatchedSeconds).ThenBy(m => m.AssetId, StringComparer.Ordinal)
            .Take(maxResults)
            .ToList();
    }

    /// <summary>
    /// What the asset's picture says about the query placed at <paramref name="offsetSeconds"/> (query time + offset =
    /// asset time), e.g. where its sound matched: see <see cref="PictureCheck"/>. Unknown when the asset has no picture here.
    /// With a centre view, the picture supports when either view does and contradicts only when both do.
    /// </summary>
    public PictureEvidence PictureAt(string assetId, VideoFingerprint query, double offsetSeconds)
    {
        ArgumentNullException.ThrowIfNull(assetId);
        ArgumentNullException.ThrowIfNull(query);
        _gate.EnterReadLock();
        try
        {
            if (!_slotById.TryGetValue(assetId, out var slots))
            {
                return PictureEvidence.Unknown;
            }

            var verdicts = slots.Select(slot => PictureCheck.Judge(query.Frames, _slots[slot]!.Fingerprint, offsetSeconds, Options)).ToList();
            return verdicts.Contains(PictureEvidence.Supports) ? PictureEvidence.Supports
                : verdicts.All(v => v == PictureEvidence.Contradicts) ? PictureEvidence.Contradicts
                : PictureEvidence.Unknown;
        }
        finally
        {
            _gate.ExitReadLock();
        }
    }

    private List<FingerprintMatch> QueryOne(VideoFingerprint query)
    {
        var runs = KeyframeRun.Spread(KeyframeRun.Select(query, Options), Options.MaxVotingRuns);
        var usable = query.Frames.Where(f => f.Quality >= Options.MinQuality).ToList();
        if (runs.Count == 0 || usable.Count < Options.MinMatchedFrames)
        {
            return [];
        }

        // Flat frames go to verification too: where they fall helps place the query (see SequenceVerifier).
        var verifyFrames = Spread(query.Frames.ToList(), Options.MaxVerifyFrames);
        var interval = query.MedianIntervalSeconds;
        _gate.EnterReadLock();
        try
        {
            var matches = new List<FingerprintMatch>();
            foreach (var candidate in Candidates(runs))
            {
                var asset = _slots[candidate.Slot]!;
                var match = SequenceVerifier.Verify(asset.Id, verifyFrames, interval, asset.Fingerprint, candidate.MinOffset, candidate.MaxOffset, Options);
                if (match is not null)
                {
                    matches.Add(match);
                }
            }

            return matches;
        }
        finally
        {
            _gate.ExitReadLock();
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>Per asset, the offset range with the most votes; the best-voted assets first.</summary>
    private List<Candidate> Candidates(IReadOnlyList<KeyframeRun> queryRuns)
    {
        // A vote's value: pairs within the 31-bit rule's reach count 2^16 each, pairs only within the near rule's reach 1
        // (NearMatch, issue 17). An asset with any close pair is ranked and placed by those alone, as before the near rule;
        // the looser pairs only place assets that have none (a repeating pattern's near pairs vote for many offsets).
        var votes = new Dictionary<(int Slot, int Bucket), long>();
        var votedByThisRun = new Dictionary<(int Slot, int Bucket), long>();
        var seenPostings = new HashSet<Posting>();
        // The keyframes of two matching runs may each sit up to KeyframeDistance from the frames that actually match.
        var closeDistance = Options.MatchDistance + Options.KeyframeDistance;
        var nearDistance = Math.Max(Options.MatchDistance, Options.NearDistance) + Options.KeyframeDistance;
        var bucket = Options.VoteBucketSeconds;
        foreach (var run in queryRuns)
        {
            votedByThisRun.Clear();
            seenPostings.Clear();
            foreach (var posting in Probe(run.Key))
            {
                if (!seenPostings.Add(posting))
                {
                    continue;
                }

                var asset = _slots[posting.Slot]!;
                var indexed = asset.Runs[posting.Run];
                var distance = indexed.Key.DistanceTo(run.Key);
                if (distance > nearDistance)
                {
                    continue;
                }

                var weight = distance <= closeDistance ? CloseVote : 1;
                // Offsets that put some frame of the query run inside the asset's run, widened by a bucket for sampling phase.
                var first = (int)Math.Floor((indexed.StartSeconds - run.EndSeconds - bucket) / bucket);
                var last = (int)Math.Floor((indexed.EndSeconds - run.StartSeconds + bucket) / bucket);
                for (var b = first; b <= last; b++)
                {
                    // One vote per query run and bin, worth its closest pair's weight.
                    var given = votedByThisRun.GetValueOrDefault((posting.Slot, b));
                    if (weight > given)
                    {
                        votedByThisRun[(posting.Slot, b)] = weight;
                        votes[(posting.Slot, b)] = votes.GetValueOrDefault((posting.Slot, b)) + weight - given;
                    }
                }
            }
        }

        return votes
            .GroupBy(v => v.Key.Slot)
            .Select(g => Peak(g.Key, g.Select(v => (v.Key.Bucket, v.Value))))
            .OrderByDescending(c => c.Votes)
            .ThenBy(c => c.Slot)
            .Take(Options.MaxCandidates)
            .ToList();
    }

    /// <summary>The run of adjacent buckets sharing the highest vote, widened by a bucket each side for verification.</summary>
    private Candidate Peak(int slot, IEnumerable<(int Bucket, long Votes)> buckets)
    {
        var sorted = buckets.OrderBy(b => b.Bucket).ToList();
        var best = sorted.Max(b => b.Votes);
        var low = sorted.FindIndex(b => b.Votes == best);
        var high = low;
        while (high + 1 < sorted.Count && sorted[high + 1].Votes == best && sorted[high + 1].Bucket == sorted[high].Bucket + 1)
        {
            high++;
        }

        var width = Options.VoteBucketSeconds;
        return new Candidate(slot, best, (sorted[low].Bucket - 1) * width, (sorted[high].Bucket + 2) * width);
    }

    private IEnumerable<Posting> Probe(Hash256 key)
    {
        foreach (var posting in Probe(key, _tables[0], Options.ChunkProbeRadius))
        {
            yield return posting;
        }

        foreach (var posting in Probe(key, _tables[1], Options.CentreChunkProbeRadius))
        {
            yield return posting;
        }
    }

    private static IEnumerable<Posting> Probe(Hash256 key, List<Posting>?[][] tables, int radius)
    {
        for (var c = 0; c < Hash256.ChunkCount; c++)
        {
            var table = tables[c];
            var value = key.Chunk(c);
            if (table[value] is { } exact)
            {
                foreach (var posting in exact)
                {
                    yield return posting;
                }
            }

            if (radius == 0)
            {
                continue;
            }

            for (var bit = 0; bit < Hash256.ChunkBits; bit++)
            {
                if (table[value ^ (1 << bit)] is { } near)
                {
                    foreach (var posting in near)
                    {
                        yield return posting;
                    }
                }
            }
        }
    }

    private bool RemoveLocked(string assetId)
    {
        if (!_slotById.Remove(assetId, out var slots))
        {
            return false;
        }

        foreach (var slot in slots)
        {
            var asset = _slots[slot]!;
            foreach (var run in asset.Runs)
            {
                for (var c = 0; c < Hash256.ChunkCount; c++)
                {
                    _tables[asset.View][c][run.Key.Chunk(c)]?.RemoveAll(p => p.Slot == slot);
                }
            }

            _runCount -= asset.Runs.Length;
            _slots[slot] = null;
            _freeSlots.Push(slot);
        }

        return true;
    }

    private int AppendSlot()
    {
        _slots.Add(null);
        return _slots.Count - 1;
    }

    private static List<T> Spread<T>(List<T> items, int max) =>
        items.Count <= max ? items : Enumerable.Range(0, max).Select(i => items[(int)((long)i * items.Count / max)]).ToList();

    /// <param name="View">0: the asset's frames; 1: its centre view.</param>
    private sealed record IndexedAsset(string Id, VideoFingerprint Fingerprint, KeyframeRun[] Runs, int View);

    private readonly record struct Posting(int Slot, int Run);

    private readonly record struct Candidate(int Slot, long Votes, double MinOffset, double MaxOffset);
}
