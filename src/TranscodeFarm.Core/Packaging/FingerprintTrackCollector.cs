using TranscodeFarm.Core.Fingerprints;

namespace TranscodeFarm.Core.Packaging;

/// <summary>
/// The fingerprint side channel of the ladder encode: a track of small grayscale PNG frames (see
/// <see cref="Ffmpeg.EncodeFingerprint"/>) that is hashed as it arrives instead of being packaged. Each frame is kept
/// as its 32-byte hash, never as pixels, so memory grows by a few dozen bytes per half second of source.
/// </summary>
internal sealed class FingerprintTrackCollector(TrackInfo track, TimeProvider time)
{
    private readonly List<FingerprintFrame> _frames = [];

    public uint TrackId => track.TrackId;

    /// <summary>Time spent decoding and hashing frames: the worker's own share of the fingerprint's cost.</summary>
    public TimeSpan Elapsed { get; private set; }

    public void Add(Mp4Sample sample)
    {
        var started = time.GetTimestamp();
        LumaFrame frame;
        try
        {
            frame = GrayPngDecoder.Decode(sample.Data.Span);
        }
        catch (FormatException e)
        {
            throw new Mp4FormatException($"fingerprint track {track.TrackId}, frame {_frames.Count}: {e.Message}");
        }

        var hash = FrameHash.Compute(frame.Pixels, frame.Width, frame.Height);
        _frames.Add(FingerprintFrame.From((double)sample.DecodeTime / track.Timescale, hash));
        Elapsed += time.GetElapsedTime(started);
    }

    public VideoFingerprint ToFingerprint() => new(_frames);
}
