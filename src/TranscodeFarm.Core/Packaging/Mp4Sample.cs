namespace TranscodeFarm.Core.Packaging;

/// <summary>One access unit of one track, with its timing in the track's timescale.</summary>
public sealed class Mp4Sample
{
    /// <summary>sample_is_non_sync_sample in the ISO-BMFF sample flags.</summary>
    private const uint NonSyncFlag = 0x0001_0000;

    public required long DecodeTime { get; init; }

    public required uint Duration { get; init; }

    /// <summary>Presentation minus decode time; negative with CMAF's version-1 trun.</summary>
    public required int CompositionOffset { get; init; }

    public required uint Flags { get; init; }

    /// <summary>
    /// The sample's clear bytes: a slice of its fragment's mdat (pooled), valid only until the
    /// <see cref="IDemuxHandler.OnSamplesAsync"/> call that handed the sample on returns. A handler that keeps bytes
    /// copies them (the packager copies each sample into its pending segment); nobody writes into them.
    /// </summary>
    public required ReadOnlyMemory<byte> Data { get; init; }

    public bool IsSync => (Flags & NonSyncFlag) == 0;

    public long PresentationTime => DecodeTime + CompositionOffset;
}
