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
    /// frames (the video index checks), audio only with at least the minimum overlap (the audio index checks).
    /// </summary>
    public IReadOnlyList<ContentMatch> Query(VideoFingerprint? video, AudioFingerprint? audio, int maxResults = 5)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxResults);
        // Each index is asked for more than is returned: an asset just below one track's cut may be confirmed by the other.
        var depth = maxResults * 2;
        IReadOnlyList<FingerprintMatch> videoMatches = video is null ? [] : _video.Query(video, depth);
        IReadOnlyList<AudioMatch> audioMatches = audio is null ? [] : _audio.Query(audio, depth);
        return ContentMatchMerger.Merge(videoMatches, audioMatches, maxResults);
    }

    public void Dispose()
    {
        _video.Dispose();
        _audio.Dispose();
    }
}
