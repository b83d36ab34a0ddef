using System.Security.Cryptography;

namespace TranscodeFarm.Core.Drm;

/// <summary>
/// A CENC / AES-128 content key and the tracks it encrypts ("all", "audio", "video", "sd", "hd", ...).
/// The key is a secret: <see cref="ToString"/> shows only the KID so a key never lands in a log line.
/// </summary>
public sealed record ContentKey
{
    public const int KeyLength = 16;
    public const string AllTracks = "all";
    private const int MaxTrackLength = 32;

    public ContentKey(Guid keyId, ReadOnlySpan<byte> key, string track)
    {
        if (keyId == Guid.Empty)
        {
            throw new ArgumentException("key ID must not be the all-zero GUID", nameof(keyId));
        }

        if (key.Length != KeyLength)
        {
            throw new ArgumentException($"content key must be {KeyLength} bytes, got {key.Length}", nameof(key));
        }

        KeyId = keyId;
        // Our own copy: a caller clearing or reusing its buffer must not change the key we hold.
        Key = key.ToArray();
        Track = ValidTrack(track);
    }

    public Guid KeyId { get; }

    public byte[] Key { get; }

    public string Track { get; }

    /// <summary>A random KID and a random key from the OS CSPRNG.</summary>
    public static ContentKey Generate(string track)
    {
        Span<byte> key = stackalloc byte[KeyLength];
        RandomNumberGenerator.Fill(key);
        var kid = new Guid(RandomNumberGenerator.GetBytes(16), bigEndian: true);
        var generated = new ContentKey(kid, key, track);
        CryptographicOperations.ZeroMemory(key);
        return generated;
    }

    public bool Equals(ContentKey? other) =>
        other is not null && KeyId == other.KeyId && Track == other.Track && CryptographicOperations.FixedTimeEquals(Key, other.Key);

    public override int GetHashCode() => HashCode.Combine(KeyId, Track);

    public override string ToString() => $"ContentKey {{ KeyId = {KeyId}, Track = {Track} }}";

    internal static bool IsValidTrack(string track) =>
        track.Length is > 0 and <= MaxTrackLength && track.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_');

    private static string ValidTrack(string track)
    {
        ArgumentNullException.ThrowIfNull(track);
        if (!IsValidTrack(track))
        {
            throw new ArgumentException($"track must be 1-{MaxTrackLength} characters of [a-z0-9_-] (e.g. \"all\", \"video\", \"hd\")", nameof(track));
        }

        return track;
    }
}
