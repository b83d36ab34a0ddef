namespace TranscodeFarm.Core.Fingerprints;

/// <summary>
/// A JSON-friendly shape of a <see cref="VideoFingerprint"/> for APIs and debugging (System.Text.Json serialises it
/// as is): hashes as 64 hex digits, times in seconds.
/// </summary>
public sealed record VideoFingerprintJson(int Version, IReadOnlyList<VideoFingerprintJson.Frame> Frames)
{
    /// <summary>2 since issue 17: frames carry their centre hash (<c>C</c>); version 1 (without) is still read.</summary>
    public const int CurrentVersion = 2;

    public static VideoFingerprintJson From(VideoFingerprint fingerprint)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        return new VideoFingerprintJson(CurrentVersion, fingerprint.Frames.Select(f => new Frame(f.TimeSeconds, f.Hash.ToString(), f.Quality) { C = f.HasCentreHash ? f.CentreHash.ToString() : null }).ToArray());
    }

    /// <exception cref="FormatException">Unknown version, a bad hash or an invalid frame.</exception>
    public VideoFingerprint ToFingerprint()
    {
        if (Version is < 1 or > CurrentVersion)
        {
            throw new FormatException($"video fingerprint JSON version {Version} is not supported (expected 1..{CurrentVersion})");
        }

        if (Frames is null)
        {
            throw new FormatException("video fingerprint JSON has no frames");
        }

        try
        {
            return new VideoFingerprint(Frames.Select(f => new FingerprintFrame(f.T, Hash256.Parse(f.Hash), f.Q) { CentreHash = f.C is null ? default : Hash256.Parse(f.C) }));
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"invalid video fingerprint: {e.Message}", e);
        }
    }

    /// <param name="T">Time in seconds.</param>
    /// <param name="Hash">64 hex digits.</param>
    /// <param name="Q">Quality 0–100.</param>
    public sealed record Frame(double T, string Hash, int Q)
    {
        /// <summary>The centre hash (64 hex digits), since version 2; null when not computed.</summary>
        public string? C { get; init; }
    }
}
