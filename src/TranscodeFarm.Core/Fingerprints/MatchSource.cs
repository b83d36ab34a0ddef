namespace TranscodeFarm.Core.Fingerprints;

/// <summary>Which track found a <see cref="ContentMatch"/>.</summary>
public enum MatchSource
{
    Video,
    Audio,

    /// <summary>Video and audio each matched the asset, at offsets that agree.</summary>
    Both,
}
