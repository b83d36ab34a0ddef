namespace TranscodeFarm.Core.Fingerprints;

/// <summary>
/// Joins the video and audio indexes' answers per asset. A video match and an audio match of one asset at offsets at
/// most <see cref="OffsetToleranceSeconds"/> apart are one finding (<see cref="MatchSource.Both"/>); further apart they
/// are two (the same music under other pictures, a chorus that repeats) and both are reported. Audio-only matches
/// count: audio-only uploads, or pictures cropped, mirrored or overlaid past what the frame hash survives.
/// </summary>
internal static class ContentMatchMerger
{
    /// <summary>
    /// Video offsets are placed to ~0.1–0.5 s (a frame every 0.5 s, ties at the middle of a still shot), audio ones to
    /// an item (0.12 s); a track's start may also differ by a few hundred ms between container and encode.
    /// </summary>
    public const double OffsetToleranceSeconds = 1;

    public static List<ContentMatch> Merge(IReadOnlyList<FingerprintMatch> video, IReadOnlyList<AudioMatch> audio, int maxResults)
    {
        var merged = new List<ContentMatch>();
        var unpaired = audio.ToList();
        foreach (var v in video)
        {
            var partner = unpaired
                .Where(a => a.AssetId == v.AssetId && Math.Abs(a.OffsetSeconds - v.OffsetSeconds) <= OffsetToleranceSeconds)
                .MinBy(a => Math.Abs(a.OffsetSeconds - v.OffsetSeconds));
            if (partner is null)
            {
                merged.Add(new ContentMatch(v.AssetId, v.Score, v.OffsetSeconds, v.MatchedSeconds, MatchSource.Video, null));
                continue;
            }

            unpaired.Remove(partner);
            // The audio offset: an alignment to the item is finer than a frame every 0.5 s.
            merged.Add(new ContentMatch(
                v.AssetId,
                1 - ((1 - v.Score) * (1 - partner.Score)),
                partner.OffsetSeconds,
                Math.Max(v.MatchedSeconds, partner.MatchedSeconds),
                MatchSource.Both,
                partner.BitErrorRate));
        }

        merged.AddRange(unpaired.Select(a => new ContentMatch(a.AssetId, a.Score, a.OffsetSeconds, a.MatchedSeconds, MatchSource.Audio, a.BitErrorRate)));
        return merged
            .OrderByDescending(m => m.Score)
            .ThenBy(m => m.Source == MatchSource.Both ? 0 : 1) // at equal score, two tracks agreeing beats one
            .ThenByDescending(m => m.MatchedSeconds)
            .ThenBy(m => m.AssetId, StringComparer.Ordinal)
            .Take(maxResults)
            .ToList();
    }
}
