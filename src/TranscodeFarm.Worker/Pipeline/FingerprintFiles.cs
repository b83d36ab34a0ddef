using System.Text.Json;
using TranscodeFarm.Core.Fingerprints;
using TranscodeFarm.Core.Packaging;

namespace TranscodeFarm.Worker.Pipeline;

/// <summary>
/// The content fingerprint of a finished encode, as objects published with the asset:
/// <c>fingerprint.json</c> (video frames in <see cref="VideoFingerprintJson"/> form, audio summarised),
/// <c>fingerprint.bin</c> (the compact video form an index is rebuilt from) and <c>audio.fp</c> (Chromaprint raw).
/// </summary>
internal static class FingerprintFiles
{
    public const string Json = "fingerprint.json";
    public const string Binary = "fingerprint.bin";
    public const string Audio = "audio.fp";

    /// <summary>The JSON document: the video fingerprint and what the audio one holds (its words are in audio.fp).</summary>
    internal sealed record Document(VideoFingerprintJson? Video, AudioSummary? Audio);

    internal sealed record AudioSummary(string File, int Items, double ItemSeconds, double DurationSeconds);

    /// <param name="video">From the encode's PNG track; null when the source has no video.</param>
    /// <param name="chromaprintPath">Where ffmpeg wrote Chromaprint's raw output; null when the source has no audio.</param>
    /// <returns>The files to publish with the asset, and the audio fingerprint when there is one.</returns>
    /// <exception cref="FormatException">ffmpeg's Chromaprint output is not whole uint32s.</exception>
    public static async Task<(IReadOnlyList<PackagedObject> Files, AudioFingerprint? Audio)> BuildAsync(VideoFingerprint? video, string? chromaprintPath, CancellationToken cancellationToken)
    {
        var files = new List<PackagedObject>();
        AudioSummary? audio = null;
        AudioFingerprint? parsed = null;
        if (chromaprintPath is not null && File.Exists(chromaprintPath))
        {
            var raw = await File.ReadAllBytesAsync(chromaprintPath, cancellationToken);
            parsed = AudioFingerprint.ParseChromaprintRaw(raw); // checks it before it is published
            files.Add(new PackagedObject(Audio, PackagedKind.FingerprintData, raw));
            audio = new AudioSummary(Audio, parsed.Count, parsed.ItemSeconds, parsed.DurationSeconds);
        }

        if (video is not null)
        {
            files.Add(new PackagedObject(Binary, PackagedKind.FingerprintData, video.ToBytes()));
        }

        if (video is not null || audio is not null)
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(new Document(video?.ToJson(), audio), JsonSerializerOptions.Web);
            files.Add(new PackagedObject(Json, PackagedKind.FingerprintDocument, json));
        }

        return (files, parsed);
    }
}
