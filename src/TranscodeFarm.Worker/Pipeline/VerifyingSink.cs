using TranscodeFarm.Core.Fingerprints;
using TranscodeFarm.Core.Packaging;
using TranscodeFarm.Core.Quality;

namespace TranscodeFarm.Worker.Pipeline;

/// <summary>
/// The gate's check of the packaged objects, on their way out of the packager: each init and media segment is read
/// back and decrypted in-process, and its samples proven to be the encoder's (<see cref="PackagedSegmentVerifier"/>).
/// A fault is kept for the gate's verdict; the object still goes on (nothing is published before approval anyway).
/// </summary>
internal sealed class VerifyingSink(ISegmentSink inner, PackagedSegmentVerifier verifier) : ISegmentSink
{
    private readonly List<RenditionVerdict> _faults = [];

    /// <summary>The first fault found per rendition.</summary>
    public IReadOnlyList<RenditionVerdict> Faults => _faults;

    public ValueTask WriteAsync(PackagedObject packaged, CancellationToken cancellationToken)
    {
        if (verifier.Inspect(packaged) is { } fault && _faults.All(f => f.Rendition != fault.Rendition))
        {
            _faults.Add(fault);
        }

        return inner.WriteAsync(packaged, cancellationToken);
    }
}
