namespace TranscodeFarm.Core.Fingerprints;

/// <summary>
/// What <see cref="AudioVerifier"/> found along an aligned overlap, window by window.
/// <see cref="Windows"/>: windows with sound that changes (silence and held tones are neither evidence for nor against);
/// <see cref="Agreeing"/>: those whose bit error rate is low at the alignment's offset and clearly lower there than a
/// few hundred ms either side (the words line up, not just the voice); <see cref="AgreeingSeconds"/>: their length;
/// <see cref="MedianContrast"/>: over the windows with sound, the median of (BER away from the offset − BER at it).
/// </summary>
public sealed record AudioSpanCheck(int Windows, int Agreeing, double AgreeingSeconds, double MedianContrast)
{
    public static AudioSpanCheck None { get; } = new(0, 0, 0, 0);

    public double AgreeingShare => Windows == 0 ? 0 : (double)Agreeing / Windows;
}
