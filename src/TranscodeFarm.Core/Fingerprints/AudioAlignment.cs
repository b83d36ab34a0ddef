namespace TranscodeFarm.Core.Fingerprints;

/// <summary>
/// The best alignment of a query track against a reference track: query time + <see cref="OffsetSeconds"/> = reference
/// time. <see cref="BitErrorRate"/> is the fraction of differing bits over the overlap: ~0.5 for unrelated audio, well
/// under <see cref="AudioAligner.MaxMatchBitErrorRate"/> for the same audio re-encoded.
/// </summary>
public sealed record AudioAlignment(int OffsetItems, double OffsetSeconds, double BitErrorRate, int OverlapItems, double OverlapSeconds, double Distinctness)
{
    /// <summary>
    /// Same audio: few bit errors, and enough change inside the overlap that it is not two stretches of silence or a
    /// held tone (which Chromaprint turns into a repeated word and which would "match" anything like it).
    /// </summary>
    public bool IsMatch => BitErrorRate <= AudioAligner.MaxMatchBitErrorRate && Distinctness >= AudioAligner.MinDistinctness;
}
