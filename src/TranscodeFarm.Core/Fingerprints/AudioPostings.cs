using System.Numerics;
using System.Runtime.InteropServices;

namespace TranscodeFarm.Core.Fingerprints;

/// <summary>
/// The inverted index behind <see cref="AudioIndex"/>: every sub-fingerprint is filed under its two 16-bit halves as
/// an (asset slot, item position, other half) posting. Halves, not whole words: at a bit error rate of 0.2 a whole
/// 32-bit word survives a re-encode 0.07% of the time, a half 2.8%. A half equal to the same half of the item before is not filed:
/// silence and held tones repeat one word, which would fill a bucket and vote for every offset of the held stretch.
/// Not thread-safe; <see cref="AudioIndex"/> guards it.
/// </summary>
internal sealed class AudioPostings
{
    /// <summary>Slots are 28 bits in a posting.</summary>
    public const int MaxSlots = 1 << 28;

    public const int Halves = 2;
    private const int HalfBits = 16;
    private const int HalfValues = 1 << HalfBits;

    // [half][value]: 2 × 65,536 lists of 8-byte structs, allocated on first use.
    private readonly List<Posting>?[][] _buckets = [new List<Posting>?[HalfValues], new List<Posting>?[HalfValues]];

    public long Count { get; private set; }

    /// <summary>Mean postings per bucket, were they spread evenly: the yardstick for "over-popular".</summary>
    public double MeanBucketSize => Count / (double)(Halves * HalfValues);

    public void File(int slot, ReadOnlySpan<uint> items)
    {
        for (var i = 0; i < items.Length; i++)
        {
            for (var half = 0; half < Halves; half++)
            {
                if (!IsHeld(items, i, half))
                {
                    (_buckets[half][Half(items[i], half)] ??= []).Add(new Posting(slot, i, Half(items[i], 1 - half)));
                    Count++;
                }
            }
        }
    }

    public void Unfile(int slot, ReadOnlySpan<uint> items)
    {
        bool OfSlot(Posting p) => p.Slot == slot;
        for (var i = 0; i < items.Length; i++)
        {
            for (var half = 0; half < Halves; half++)
            {
                // A value seen again finds its bucket already cleared of this slot, and removes nothing.
                Count -= _buckets[half][Half(items[i], half)]?.RemoveAll(OfSlot) ?? 0;
            }
        }
    }

    /// <summary>
    /// Adds votes for (slot, offset bin) from every posting that shares a half with a query item (or, with
    /// <paramref name="neighbours"/>, is one bit from it) and whose whole word is within the options' MaxWordDistance
    /// bits of the query's; offset = posting position − query position, in items.
    /// </summary>
    /// <param name="votes">Keyed by <see cref="Key"/>.</param>
    public void Vote(Dictionary<long, int> votes, ReadOnlySpan<uint> query, IEnumerable<int> positions, bool neighbours, AudioIndexOptions options, int popularBucket)
    {
        var probe = new Probe(votes, options.VoteBinItems, options.MaxWordDistance, popularBucket);
        foreach (var i in positions)
        {
            for (var half = 0; half < Halves; half++)
            {
                if (IsHeld(query, i, half))
                {
                    continue;
                }

                var value = Half(query[i], half);
                var other = Half(query[i], 1 - half);
                if (!neighbours)
                {
                    probe.Count(_buckets[half][value], i, other, 0);
                    continue;
                }

                for (var bit = 0; bit < HalfBits; bit++)
                {
                    probe.Count(_buckets[half][value ^ (1 << bit)], i, other, 1);
                }
            }
        }
    }

    /// <summary>An empty vote table, hashing (slot, bin) keys so they spread (see <see cref="MixedKeys"/>).</summary>
    public static Dictionary<long, int> NewVotes() => new(MixedKeys.Instance);

    public static long Key(int slot, int bin) => ((long)slot << 32) | (uint)bin;

    public static (int Slot, int Bin) FromKey(long key) => ((int)(key >> 32), (int)(uint)key);

    private readonly record struct Probe(Dictionary<long, int> Votes, int BinItems, int MaxWordDistance, int PopularBucket)
    {
        /// <param name="probeDistance">Bits between the probed half and the query's (0 or 1).</param>
        public void Count(List<Posting>? bucket, int queryPosition, ushort queryOtherHalf, int probeDistance)
        {
            if (bucket is null || bucket.Count > PopularBucket)
            {
                return;
            }

            var maxOtherDistance = MaxWordDistance - probeDistance;
            foreach (var posting in CollectionsMarshal.AsSpan(bucket))
            {
                // The other half sits in the posting, so this is a sequential read of the bucket; most chance hits
                // stop here, before the vote count, which misses the cache and is where a query's time goes.
                if (BitOperations.PopCount((uint)(posting.OtherHalf ^ queryOtherHalf)) > maxOtherDistance)
                {
                    continue;
                }

                var bin = FloorDivide(posting.Position - queryPosition, BinItems);
                CollectionsMarshal.GetValueRefOrAddDefault(Votes, Key(posting.Slot, bin), out _)++;
            }
        }
    }

    private static int FloorDivide(int value, int divisor) => (int)Math.Floor(value / (double)divisor);

    private static ushort Half(uint word, int half) => (ushort)(word >> (half * HalfBits));

    private static bool IsHeld(ReadOnlySpan<uint> items, int i, int half) => i > 0 && Half(items[i], half) == Half(items[i - 1], half);

    /// <summary>
    /// 8 bytes: slot (28 bits), item position (20 bits; <see cref="AudioFingerprint.MaxItems"/> &lt; 2^20) and the
    /// word's other half, so a probe can check the whole word without touching the asset's items.
    /// </summary>
    private readonly struct Posting(int slot, int position, ushort otherHalf)
    {
        private readonly ulong _bits = ((ulong)(uint)slot << 36) | ((ulong)(uint)position << HalfBits) | otherHalf;

        public int Slot => (int)(_bits >> 36);

        public int Position => (int)((_bits >> HalfBits) & 0xFFFFF);

        public ushort OtherHalf => (ushort)_bits;
    }

    /// <summary>
    /// long's own hash is its two halves XORed, and slot and bin are both small numbers: thousands of keys would share a
    /// few hundred hashes (measured: 30-s queries ~5× slower). A Fibonacci multiply spreads them.
    /// </summary>
    private sealed class MixedKeys : IEqualityComparer<long>
    {
        public static readonly MixedKeys Instance = new();

        public bool Equals(long x, long y) => x == y;

        public int GetHashCode(long obj) => (int)(((ulong)obj * 0x9E3779B97F4A7C15UL) >> 32);
    }
}
