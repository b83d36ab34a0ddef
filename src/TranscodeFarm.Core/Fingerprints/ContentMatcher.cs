namespace TranscodeFarm.Core.Fingerprints;

/// <summary>
/// One catalogue searched by picture and by sound: a <see cref="FingerprintIndex"/> and an <see cref="AudioIndex"/>
/// under the same asset ids, their answers joined per asset (<see cref="ContentMatchMerger"/>). Either track may be
/// missing on either side: a silent video is found by its pictures, an audio-only upload or a heavily reworked picture
/// by its sound.
/// Thread-safe: each index locks itself; adds and removes are also serialized here so an asset's two tracks change
/// together, though a query running meanwhile may see one track of the asset before the other.
/// </summary>
public sealed class ContentMatcher : IDisposable
{
    private readonly FingerprintIndex _video;
    private readonly AudioIndex _audio;
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly Lock _writes = new();

    public ContentMatcher(FingerprintIndexOptions? videoOptions = null, AudioIndexOptions? audioOptions = null)
    {
        _video = new FingerprintIndex(videoOptions);
        _audio = new AudioIndex(audioOptions);
    }

    public int Count
    {
        get
        {
            lock (_writes)
            {
                return _ids.Count;
            }
        }
    }

    public bool Contains(string assetId)
    {
        ArgumentNullException.ThrowIfNull(assetId);
        lock (_writes)
        {
            return _ids.Contains(assetId);
        }
    }

    /// <summary>Adds an asset, replacing both tracks of any asset already held under the id (a missing track is removed).</summary>
    /// <exception cref="ArgumentException">Neither a video nor an audio fingerprint was given.</exception>
    public void Add(string assetId, VideoFingerprint? video, AudioFingerprint? audio)
    {
        ArgumentException.ThrowIfNullOrEmpty(assetId);
        if (video is null && audio is null)
        {
            throw new ArgumentException("an asset needs a video or an audio fingerprint", nameof(video));
        }

        lock (_writes)
        {
            if (video is null)
            {
                _video.Remove(assetId);
            }
            else
            {
                _video.Add(assetId, video);
            }

            if (audio is null)
            {
                _audio.Remove(assetId);
            }
            else
            {
                _audio.Add(assetId, audio);
            }

            _ids.Add(assetId);
        }
    }

    public bool Remove(string assetId)
    {
        ArgumentNullException.ThrowIfNull(assetId);
        lock (_writes)
        {
            _video.Remove(assetId);
            _audio.Remove(assetId);
            return _ids.Remove(assetId);
        }
    }

    /// <summary>
    /// The assets the query's video or audio (or both) matches, best score first. Video counts only with enough usable
    /// frames (the video index checks), audio only with at least the minimum overlap (the audio index checks). A match
    /// by sound alone gets the picture's verdict at its offset (<see cref="ContentMatch.Picture"/>): one the picture
    /// clearly contradicts is no claim (<see cref="ContentMatch.IsClaim"/>). Sound that matches several unrelated assets
    /// over the same stretch of the query is evidence against each (<see cref="Contest"/>).
    /// </summary>
    public IReadOnlyList<ContentMatch> Query(VideoFingerprint? video, AudioFingerprint? audio, int maxResults = 5)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxResults);
        // Each index is asked for more than is returned: an asset just below one track's cut may be confirmed by the other.
        var depth = maxResults * 2;
        IReadOnlyList<FingerprintMatch> videoMatches = video is null ? [] : _video.Query(video, depth);
        IReadOnlyList<AudioMatch> audioMatches = audio is null ? [] : _audio.Query(audio, depth);
        var merged = ContentMatchMerger.Merge(videoMatches, audioMatches, int.MaxValue);
        if (video is { Count: > 0 })
        {
            merged = merged.Select(m => m.Source == MatchSource.Audio ? m with { Picture = _video.PictureAt(m.AssetId, video, m.OffsetSeconds) } : m).ToList();
        }

        return Contest(merged, _audio.SameSound).Take(maxResults).ToList();
    }

    /// <summary>
    /// The same stretch of sound cannot be two unrelated recordings. When matches by sound alone (the picture not
    /// supporting them) from several assets cover the same part of the query, and those assets' sound does not match
    /// each other at the offsets implied, each keeps its claim only with a bit error rate at or under
    /// <see cref="ContestedMaxBitErrorRate"/>; the rest are dropped. Catches one voice or one instrument matching many
    /// references "by timbre" (issue 17).
    /// </summary>
    /// <param name="sameSound">Whether two assets hold the same sound at an offset between them (asset a time + offset = asset b time).</param>
    internal static List<ContentMatch> Contest(List<ContentMatch> matches, Func<string, string, double, bool> sameSound)
    {
        var soundOnly = matches.Where(m => m.Source == MatchSource.Audio && m.Picture != PictureEvidence.Supports).ToList();
        if (soundOnly.Count < 2)
        {
            return matches;
        }

        var contested = new HashSet<ContentMatch>();
        for (var i = 0; i < soundOnly.Count; i++)
        {
            for (var j = i + 1; j < soundOnly.Count; j++)
            {
                var (a, b) = (soundOnly[i], soundOnly[j]);
                if (a.AssetId != b.AssetId &&
                    SharedQuerySeconds(a, b) >= 0.5 * Math.Min(a.MatchedSeconds, b.MatchedSeconds) &&
                    !sameSound(a.AssetId, b.AssetId, b.OffsetSeconds - a.OffsetSeconds))
                {
                    contested.Add(a);
                    contested.Add(b);
                }
            }
        }

        return matches.Where(m => !contested.Contains(m) || m.AudioBitErrorRate <= ContestedMaxBitErrorRate).ToList();
    }

    /// <summary>A contested match by sound keeps its claim only this close to identical (a clean re-encode: 0.05–0.1).</summary>
    public const double ContestedMaxBitErrorRate = 0.1;

    private static double SharedQuerySeconds(ContentMatch a, ContentMatch b)
    {
        var aStart = Math.Max(0, -a.OffsetSeconds);
        var bStart = Math.Max(0, -b.OffsetSeconds);
        return Math.Max(0, Math.Min(aStart + a.MatchedSeconds, bStart + b.MatchedSeconds) - Math.Max(aStart, bStart));
    }

    public void Dispose()
    {
        _video.Dispose();
        _audio.Dispose();
    }
}
