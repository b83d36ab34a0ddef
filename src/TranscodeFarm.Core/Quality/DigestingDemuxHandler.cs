using TranscodeFarm.Core.Packaging;

namespace TranscodeFarm.Core.Quality;

/// <summary>
/// Sits between the demuxer and the packager: records every audio and video sample's digest in the ledger exactly as
/// the encoder wrote it, then hands the samples on. The packager encrypts in place, so this must run first.
/// </summary>
public sealed class DigestingDemuxHandler(IDemuxHandler inner, SampleLedger ledger) : IDemuxHandler
{
    private readonly HashSet<uint> _media = [];

    public ValueTask OnInitAsync(byte[] ftyp, Mp4Box moov, IReadOnlyList<TrackInfo> tracks, CancellationToken cancellationToken)
    {
        foreach (var t in tracks.Where(t => t.Kind is TrackKind.Video or TrackKind.Audio && !t.IsPng))
        {
            _media.Add(t.TrackId);
        }

        return inner.OnInitAsync(ftyp, moov, tracks, cancellationToken);
    }

    public ValueTask OnSamplesAsync(TrackInfo track, IReadOnlyList<Mp4Sample> samples, CancellationToken cancellationToken)
    {
        if (_media.Contains(track.TrackId))
        {
            foreach (var s in samples)
            {
                ledger.Record(track.TrackId, track.Timescale, SampleDigest.Of(s.Data.Span), s.IsSync, s.PresentationTime);
            }
        }

        return inner.OnSamplesAsync(track, samples, cancellationToken);
    }
}
