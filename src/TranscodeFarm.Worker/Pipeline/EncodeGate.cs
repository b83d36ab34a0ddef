using System.Globalization;
using TranscodeFarm.Core.Drm;
using TranscodeFarm.Core.Fingerprints;
using TranscodeFarm.Core.Packaging;
using TranscodeFarm.Core.Planning;
using TranscodeFarm.Core.Quality;

namespace TranscodeFarm.Worker.Pipeline;

/// <summary>
/// The quality gate's share of one attempt's encode (decision 024): the ledger of what the encoder sent (a demux handler
/// in front of the packager), the check of every packaged object on its way to the publisher (a sink in front of the
/// publisher's channel), and the gate's ffmpeg fed with a copy of the encoder's stream. Made before the encode, judged
/// after it, disposed with the attempt.
/// </summary>
internal sealed class EncodeGate : IAsyncDisposable
{
    private readonly SampleLedger _ledger;
    private readonly PackagedSegmentVerifier _verifier;
    private readonly GateRun _run;
    private VerifyingSink? _sink;

    private EncodeGate(SampleLedger ledger, PackagedSegmentVerifier verifier, GateRun run)
    {
        _ledger = ledger;
        _verifier = verifier;
        _run = run;
    }

    public static EncodeGate Start(QualityGate gate, EncodePlan plan, AssetEncryption encryption, string work, CancellationToken cancellationToken)
    {
        var ledger = new SampleLedger();
        var verifier = new PackagedSegmentVerifier(ledger, t => encryption.Aes128KeyFor(t.Info.Kind == TrackKind.Audio, t.Info.Height, int.Parse(t.Id, CultureInfo.InvariantCulture))?.Key);
        return new EncodeGate(ledger, verifier, gate.Start(plan, work, cancellationToken));
    }

    /// <summary>Where the encoder's output is copied for the gate's decoder.</summary>
    public Stream DecoderInput => _run.Input;

    public ValueTask CompleteDecoderInputAsync() => _run.CompleteInputAsync();

    /// <summary>The packager's input handler, recording each sample before the packager touches it.</summary>
    public IDemuxHandler Ahead(IDemuxHandler packager) => new DigestingDemuxHandler(packager, _ledger);

    /// <summary>The packager's sink, checking each object before it goes on to <paramref name="publisher"/>.</summary>
    public ISegmentSink Behind(ISegmentSink publisher) => _sink = new VerifyingSink(publisher, _verifier);

    /// <summary>Every rendition that failed, packaging faults first; empty when all pass.</summary>
    public async Task<IReadOnlyList<RenditionVerdict>> FailuresAsync(
        IReadOnlyList<PackagedTrack> tracks, VideoFingerprint? video, AudioFingerprint? audio, CancellationToken cancellationToken)
    {
        var decoded = await _run.FinishAsync(tracks, _ledger, video, audio, cancellationToken);
        return (_sink?.Faults ?? []).Concat(_verifier.Finish(tracks)).Concat(decoded.Where(v => !v.Passed))
            .DistinctBy(v => v.Rendition).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        _verifier.Dispose();
        await _run.DisposeAsync();
    }
}
