using System.Text.Json;
using TranscodeFarm.Core.Fingerprints;

namespace TranscodeFarm.Worker.Pipeline;

/// <summary>
/// The content fingerprint of a finished encode, written into the output folder so it is published with the asset:
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
    /// <returns>The audio fingerprint, when there is one.</returns>
    /// <exception cref="FormatException">ffmpeg's Chromaprint output is not whole uint32s.</exception>
    public static async Task<AudioFingerprint?> WriteAsync(string output, VideoFingerprint? video, string? chromaprintPath, CancellationToken cancellationToken)
    {
        AudioSummary? audio = null;
        AudioFingerprint? parsed = null;
        if (chromaprintPath is not null && File.Exists(chromaprintPath))
        {
            var raw = await File.ReadAllBytesAsync(chromaprintPath, cancellationToken);
            parsed = AudioFingerprint.ParseChromaprintRaw(raw); // checks it before it is published
            await File.WriteAllBytesAsync(Path.Combine(output, Audio), raw, cancellationToken);
            audio = new AudioSummary(Audio, parsed.Count, parsed.ItemSeconds, parsed.DurationSeconds);
        }

        if (video is not null)
        {
            await File.WriteAllBytesAsync(Path.Combine(output, Binary), video.ToBytes(), cancellationToken);
        }

        if (video is not null || audio is not null)
        {
            await using var json = File.Create(Path.Combine(output, Json));
            await JsonSerializer.SerializeAsync(json, new Document(video?.ToJson(), audio), JsonSerializerOptions.Web, cancellationToken);
        }

        return parsed;
    }
}
