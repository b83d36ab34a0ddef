using TranscodeFarm.Core.Fingerprints;
using TranscodeFarm.Core.Packaging;

namespace TranscodeFarm.Worker.Pipeline;

/// <summary>
/// What the encode stage hands on: the packaged tracks (their media already in the store), the manifests over them,
/// the content fingerprint and its files, and the ladder copy the quality gate decodes (null without a gate).
/// </summary>
internal sealed record EncodedAsset(
    IReadOnlyList<PackagedTrack> Tracks,
    AssetManifests Manifests,
    VideoFingerprint? Video,
    AudioFingerprint? Audio,
    IReadOnlyList<PackagedObject> FingerprintFiles,
    string? LadderPath);
