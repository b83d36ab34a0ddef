namespace TranscodeFarm.Core.Ffmpeg;

/// <summary>
/// What the ladder encode also emits so a fingerprint needs no second decode of the source: small grayscale PNG frames
/// as an extra (last) track of the fragmented MP4 when the plan has video, and Chromaprint's raw sub-fingerprints into
/// <paramref name="ChromaprintPath"/> when that is set (only when the source has audio: ffmpeg fails on a map that
/// matches no stream).
/// </summary>
public sealed record EncodeFingerprint(string? ChromaprintPath)
{
    /// <summary>Chromaprint of other source audio tracks (by <c>0:a:N</c> index), into these files: the quality gate's
    /// reference for renditions made from those tracks (decision 029).</summary>
    public IReadOnlyList<(int Index, string Path)> SourceAudioPrints { get; init; } = [];
}
