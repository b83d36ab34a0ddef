namespace TranscodeFarm.Core.Fingerprints;

public enum MatchSource
{
    Video,
    Audio,
    Both,
}

public sealed record ContentMatch(string AssetId, double Score, double OffsetSeconds, double MatchedSeconds, MatchSource Source, double? AudioBitErrorRate);

/// <summary>TEMPORARY shim until the audio index lands: video through the index, audio checked pairwise.</summary>
public sealed class ContentMatcher : IDisposable
{
    private readonly FingerprintIndex _video = new();
    private readonly Dictionary<string, AudioFingerprint> _audio = new(StringComparer.Ordinal);

    public void Add(string assetId, VideoFingerprint? video, AudioFingerprint? audio)
    {
        if (video is not null)
        {
            _video.Add(assetId, video);
        }

        lock (_audio)
        {
            if (audio is not null)
            {
                _audio[assetId] = audio;
            }
        }
    }

    public bool Remove(string assetId)
    {
        var removed = _video.Remove(assetId);
        lock (_audio)
        {
            return _audio.Remove(assetId) || removed;
        }
    }

    public IReadOnlyList<ContentMatch> Query(VideoFingerprint? video, AudioFingerprint? audio, int maxResults = 5)
    {
        var found = new Dictionary<string, ContentMatch>(StringComparer.Ordinal);
        if (video is not null)
        {
            foreach (var m in _video.Query(video, maxResults))
            {
                found[m.AssetId] = new ContentMatch(m.AssetId, m.Score, m.OffsetSeconds, m.MatchedSeconds, MatchSource.Video, null);
            }
        }

        if (audio is not null)
        {
            List<KeyValuePair<string, AudioFingerprint>> all;
            lock (_audio)
            {
                all = [.. _audio];
            }

            foreach (var (id, reference) in all)
            {
                if (AudioAligner.Align(audio, reference) is not { IsMatch: true } a)
                {
                    continue;
                }

                found[id] = found.TryGetValue(id, out var v) && Math.Abs(v.OffsetSeconds - a.OffsetSeconds) <= 1
                    ? v with { Source = MatchSource.Both, AudioBitErrorRate = a.BitErrorRate }
                    : found.ContainsKey(id) ? found[id] : new ContentMatch(id, Math.Clamp(1 - (2 * a.BitErrorRate), 0, 1), a.OffsetSeconds, a.OverlapSeconds, MatchSource.Audio, a.BitErrorRate);
            }
        }

        return found.Values.OrderByDescending(m => m.Score).Take(maxResults).ToList();
    }

    public void Dispose() => _video.Dispose();
}
