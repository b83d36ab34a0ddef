using TranscodeFarm.Core.Fingerprints;
using TranscodeFarm.Core.Packaging;

namespace TranscodeFarm.Worker.Pipeline;

/// <summary>
/// What the encode stage hands on: the packaged tracks (their media already in the store), the manifests over them,
/// the content fingerprint and its files, and the quality gate's share of the encode (null without a gate), which the
/// pipeline disposes.
/// </summary>
internal sealed record EncodedAsset(
    IReadOnlyList<PackagedTrack> Tracks,
    AssetManifests Manifests,
    VideoFingerprint? Video,
    AudioFingerprint? Audio,
    IReadOnlyList<PackagedObject> FingerprintFiles,
    EncodeGate? Gate);
