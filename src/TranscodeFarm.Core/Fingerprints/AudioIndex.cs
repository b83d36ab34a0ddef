namespace TranscodeFarm.Core.Fingerprints;

/// <summary>
/// Finds which indexed assets contain a query's audio (an excerpt of ≥ 5 s, a re-encode, a whole copy) and where,
/// from Chromaprint sub-fingerprints, in the spirit of AcoustID:
/// <list type="number">
/// <item>Inverted index: each item is filed under its two 16-bit halves (<see cref="AudioPostings"/>); a query looks up
/// its halves, and for up to ~8 s of its items also their one-bit neighbours.</item>
/// <item>Voting: each hit votes for (asset, offset bin); the same audio lines up at one offset, chance hits scatter.
/// Over-popular buckets are skipped.</item>
/// <item>Verification: the best-voted assets are aligned word by word around their bin (<see cref="AudioAligner"/>)
/// and kept only if <see cref="AudioAlignment.IsMatch"/>, so a query of silence or of unrelated audio finds nothing.</item>
/// </list>
/// Read-mostly and thread-safe: queries share a read lock, Add and Remove take the write lock. Not persisted; the
/// service rebuilds it from the stored fingerprints at start.
/// </summary>
public sealed class AudioIndex : IDisposable
{
    private readonly ReaderWriterLockSlim _gate = new();
    private readonly AudioPostings _postings = new();
    private readonly List<IndexedAudio?> _slots = [];
    private readonly Stack<int> _freeSlots = new();
    private readonly Dictionary<string, int> _slotById = new(StringComparer.Ordinal);

    public AudioIndex(AudioIndexOptions? options = null)
    {
        Options = options ?? new AudioIndexOptions();
        Options.Validate();
    }

    public AudioIndexOptions Options { get; }

    public int AssetCount => Read(() => _slotById.Count);

    /// <summary>Postings held (about two per item, 8 bytes each): the index's memory grows with this.</summary>
    public long PostingCount => Read(() => _postings.Count);

    /// <summary>Adds an asset, replacing any audio already indexed under the same id.</summary>
    public void Add(string assetId, AudioFingerprint audio)
    {
        ArgumentException.ThrowIfNullOrEmpty(assetId);
        ArgumentNullException.ThrowIfNull(audio);
        RequirePeriod(audio, nameof(audio));
        _gate.EnterWriteLock();
        try
        {
            RemoveLocked(assetId);
            var slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : AppendSlot();
            _slots[slot] = new IndexedAudio(assetId, audio);
            _slotById[assetId] = slot;
            _postings.File(slot, audio.Items);
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
        return Read(() => _slotById.ContainsKey(assetId));
    }

    /// <summary>The assets whose audio the query matches, lowest bit error rate first; empty when none passes verification.</summary>
    public IReadOnlyList<AudioMatch> Query(AudioFingerprint query, int maxResults = 5)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxResults);
        RequirePeriod(query, nameof(query));
        if (query.DurationSeconds < Options.MinOverlapSeconds)
        {
            return [];
        }

        _gate.EnterReadLock();
        try
        {
            var matches = new List<AudioMatch>();
            var soundSeconds = AudioVerifier.SoundSeconds(query.Items, Options.ItemSeconds);
            foreach (var candidate in Candidates(query.Items))
            {
                var asset = _slots[candidate.Slot]!;
                var window = (candidate.FirstOffset * Options.ItemSeconds, candidate.LastOffset * Options.ItemSeconds);
                var alignment = AudioAligner.Align(query, asset.Audio, Options.MinOverlapSeconds, window);
                if (alignment is not null && Verify(query, asset.Audio, alignment, soundSeconds) is { } check)
                {
                    matches.Add(new AudioMatch(asset.Id, alignment.OffsetSeconds, alignment.BitErrorRate, alignment.OverlapSeconds) { AgreeingSeconds = check.AgreeingSeconds });
                }
            }

            return matches.OrderBy(m => m.BitErrorRate).ThenByDescending(m => m.MatchedSeconds).ThenBy(m => m.AssetId, StringComparer.Ordinal).Take(maxResults).ToList();
        }
        finally
        {
            _gate.ExitReadLock();
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>
    /// Whether two indexed assets hold the same sound with <paramref name="offsetSeconds"/> between them (asset a time +
    /// offset = asset b time, ± 1 s): two copies of one recording, which one query may rightly match both of.
    /// </summary>
    /// <summary>The most two copies of one recording may differ for <see cref="SameSound"/>.</summary>
    public const double SameSoundMaxBitErrorRate = 0.33;

    public bool SameSound(string a, string b, double offsetSeconds)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        _gate.EnterReadLock();
        try
        {
            if (!_slotById.TryGetValue(a, out var slotA) || !_slotById.TryGetValue(b, out var slotB))
            {
                return false;
            }

            var alignment = AudioAligner.Align(_slots[slotA]!.Audio, _slots[slotB]!.Audio, Options.MinOverlapSeconds, (offsetSeconds - 1, offsetSeconds + 1));
            // Two noisy copies of one recording are further apart than either is from the original (their errors add up):
            // allow up to twice the match limit, short of what one voice saying other words reaches (≥ 0.36 measured).
            return alignment is not null && alignment.BitErrorRate <= Math.Min(2 * Options.MaxBitErrorRate, SameSoundMaxBitErrorRate) && alignment.Distinctness >= AudioAligner.MinDistinctness;
        }
        finally
        {
            _gate.ExitReadLock();
        }
    }

    /// <summary>
    /// The match rules of decision 012 (issue 17): the whole overlap under the error-rate limit and not silence; most of
    /// its windows agreeing at this one offset (<see cref="AudioVerifier"/>); and the agreeing stretch a real share of
    /// the query's sound. Null when any fails.
    /// </summary>
    internal AudioSpanCheck? Verify(AudioFingerprint query, AudioFingerprint reference, AudioAlignment alignment, double querySoundSeconds)
    {
        if (alignment.BitErrorRate > Options.MaxBitErrorRate || alignment.Distinctness < AudioAligner.MinDistinctness)
        {
            return null;
        }

        var check = AudioVerifier.Check(query.Items, reference.Items, alignment.OffsetItems, Options.MaxBitErrorRate, Options.MinContrast, Options.ItemSeconds);
        var needed = Math.Min(Options.MinQueryShare * querySoundSeconds, Options.LongMatchSeconds);
        return check.Agreeing > 0 && check.AgreeingShare >= Options.MinAgreeingShare && check.AgreeingSeconds >= needed ? check : null;
    }

    /// <summary>Per asset the bin with the most votes; the best-voted assets first, with the offsets to verify.</summary>
    private List<Candidate> Candidates(ReadOnlySpan<uint> query)
    {
        var popular = Math.Max(Options.MinPopularBucketPostings, (int)Math.Min(int.MaxValue, Options.PopularBucketFactor * _postings.MeanBucketSize));
        var votes = AudioPostings.NewVotes();
        _postings.Vote(votes, query, Spread(query.Length, Options.MaxQueryItems), neighbours: false, Options, popular);
        _postings.Vote(votes, query, Spread(query.Length, Options.MaxNeighbourProbeItems), neighbours: true, Options, popular);
        var best = new Dictionary<int, (int Bin, int Votes)>();
        foreach (var (key, count) in votes)
        {
            if (count < Options.MinVotes)
            {
                continue;
            }

            var (slot, bin) = AudioPostings.FromKey(key);
            if (!best.TryGetValue(slot, out var current) || count > current.Votes || (count == current.Votes && bin < current.Bin))
            {
                best[slot] = (bin, count);
            }
        }

        // The true offset may sit at either edge of its bin, and its votes may have spilled into a neighbour: verify a
        // bin either side too.
        var width = Options.VoteBinItems;
        return best
            .OrderByDescending(b => b.Value.Votes)
            .ThenBy(b => b.Key)
            .Take(Options.MaxCandidates)
            .Select(b => new Candidate(b.Key, (b.Value.Bin - 1) * width, ((b.Value.Bin + 2) * width) - 1))
            .ToList();
    }

    /// <summary>Up to <paramref name="max"/> positions evenly spread over the query: bounds the work for a long upload.</summary>
    private static IEnumerable<int> Spread(int count, int max) =>
        count <= max ? Enumerable.Range(0, count) : Enumerable.Range(0, max).Select(i => (int)((long)i * count / max));

    private bool RemoveLocked(string assetId)
    {
        if (!_slotById.Remove(assetId, out var slot))
        {
            return false;
        }

        _postings.Unfile(slot, _slots[slot]!.Audio.Items);
        _slots[slot] = null;
        _freeSlots.Push(slot);
        return true;
    }

    private void RequirePeriod(AudioFingerprint fingerprint, string parameter)
    {
        if (Math.Abs(fingerprint.ItemSeconds - Options.ItemSeconds) > 1e-9)
        {
            throw new ArgumentException($"the index holds sub-fingerprints every {Options.ItemSeconds} s, got {fingerprint.ItemSeconds} s", parameter);
        }
    }

    private T Read<T>(Func<T> read)
    {
        _gate.EnterReadLock();
        try
        {
            return read();
        }
        finally
        {
            _gate.ExitReadLock();
        }
    }

    private int AppendSlot()
    {
        if (_slots.Count >= AudioPostings.MaxSlots)
        {
            throw new InvalidOperationException($"an audio index holds at most {AudioPostings.MaxSlots} assets");
        }

        _slots.Add(null);
        return _slots.Count - 1;
    }

    private sealed record IndexedAudio(string Id, AudioFingerprint Audio);

    /// <param name="FirstOffset">First offset to verify, in items (query item i ↔ asset item i + offset).</param>
    /// <param name="LastOffset">Last offset to verify, in items.</param>
    private readonly record struct Candidate(int Slot, int FirstOffset, int LastOffset);
}
