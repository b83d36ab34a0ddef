using System.IO.Hashing;

namespace TranscodeFarm.Core.Quality;

/// <summary>A sample's size and 64-bit hash: enough to prove a packaged sample carries the encoder's exact bytes.</summary>
public readonly record struct SampleDigest(int Size, ulong Hash)
{
    public static SampleDigest Of(ReadOnlySpan<byte> sample) => new(sample.Length, XxHash3.HashToUInt64(sample));
}
