namespace TranscodeFarm.Core.Fingerprints;

/// <summary>
/// The frame hashes of one video (typically ~2 per second), in time order. Immutable. Binary form:
/// <see cref="VideoFingerprintBinary"/>; JSON-friendly form: <see cref="VideoFingerprintJson"/>.
/// </summary>
public sealed class VideoFingerprint
{
    /// <summary>About 11 days at 2 frames per second: bounds memory for anything parsed from storage.</summary>
    public const int MaxFrames = 2_000_000;

    private readonly FingerprintFrame[] _frames;

    public VideoFingerprint(IEnumerable<FingerprintFrame> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        _frames = frames.ToArray();
        if (_frames.Length > MaxFrames)
        {
            throw new ArgumentException($"at most {MaxFrames} frames, got {_frames.Length}", nameof(frames));
        }

        for (var i = 0; i < _frames.Length; i++)
        {
            var frame = _frames[i];
            if (!double.IsFinite(frame.TimeSeconds) || frame.TimeSeconds < 0)
            {
                throw new ArgumentException($"frame {i}: time must be finite and not negative, got {frame.TimeSeconds}", nameof(frames));
            }

            if (i > 0 && frame.TimeSeconds < _frames[i - 1].TimeSeconds)
            {
                throw new ArgumentException($"frame {i}: times must not go backwards", nameof(frames));
            }

            if (frame.Quality is < 0 or > 100)
            {
                throw new ArgumentException($"frame {i}: quality must be 0..100, got {frame.Quality}", nameof(frames));
            }
        }
    }

    public static VideoFingerprint Empty { get; } = new([]);

    public IReadOnlyList<FingerprintFrame> Frames => _frames;

    public int Count => _frames.Length;

    /// <summary>From the first to the last frame's time; 0 for fewer than two frames.</summary>
    public double SpanSeconds => _frames.Length < 2 ? 0 : _frames[^1].TimeSeconds - _frames[0].TimeSeconds;

    /// <summary>The median gap between frames (0 for fewer than two): the sampling interval, robust to dropped frames.</summary>
    public double MedianIntervalSeconds
    {
        get
        {
            if (_frames.Length < 2)
            {
                return 0;
            }

            var gaps = new double[_frames.Length - 1];
            for (var i = 1; i < _frames.Length; i++)
            {
                gaps[i - 1] = _frames[i].TimeSeconds - _frames[i - 1].TimeSeconds;
            }

            Array.Sort(gaps);
            return gaps[gaps.Length / 2];
        }
    }

    public int UsableCount => _frames.Count(f => f.IsUsable);

    /// <summary>Index of the frame whose time is closest to <paramref name="timeSeconds"/>; -1 when empty.</summary>
    public int NearestIndex(double timeSeconds)
    {
        if (_frames.Length == 0)
        {
            return -1;
        }

        int low = 0, high = _frames.Length - 1;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (_frames[mid].TimeSeconds < timeSeconds)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        // low is the first frame at or after the time; the one before may be closer.
        return low > 0 && timeSeconds - _frames[low - 1].TimeSeconds <= _frames[low].TimeSeconds - timeSeconds ? low - 1 : low;
    }

    /// <summary>Frames from <paramref name="fromSeconds"/> (inclusive) to <paramref name="toSeconds"/> (exclusive), times kept.</summary>
    public VideoFingerprint Slice(double fromSeconds, double toSeconds) =>
        new(_frames.Where(f => f.TimeSeconds >= fromSeconds && f.TimeSeconds < toSeconds));

    /// <summary>The same frames with every time moved by <paramref name="deltaSeconds"/>; frames moved before 0 are dropped.</summary>
    public VideoFingerprint Shift(double deltaSeconds) =>
        new(_frames.Select(f => f with { TimeSeconds = f.TimeSeconds + deltaSeconds }).Where(f => f.TimeSeconds >= 0));

    /// <summary>Whether the frames carry their mirrored hashes (an extractor's fresh fingerprint does; a stored one does not).</summary>
    public bool HasMirroredHashes => _frames.Any(f => f.HasMirroredHash);

    /// <summary>The fingerprint the left-right mirrored video would have; the same frames when there are no mirrored hashes.</summary>
    public VideoFingerprint Mirrored() => new(_frames.Select(f => f.Mirrored()));

    /// <summary>Whether the frames carry centre hashes (fresh fingerprints and version-2 stored ones do).</summary>
    public bool HasCentreHashes => _frames.Any(f => f.HasCentreHash);

    /// <summary>The centre view: each frame's centre hash as its hash. What the index files besides the frames themselves.</summary>
    public VideoFingerprint CentreView() => new(_frames.Select(f => f.Centre()));

    public byte[] ToBytes() => VideoFingerprintBinary.Write(this);

    public static VideoFingerprint FromBytes(ReadOnlySpan<byte> data) => VideoFingerprintBinary.Read(data);

    public VideoFingerprintJson ToJson() => VideoFingerprintJson.From(this);
}
