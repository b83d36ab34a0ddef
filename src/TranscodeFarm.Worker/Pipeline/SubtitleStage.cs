using Microsoft.Extensions.Logging;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Core.Subtitles;
using TranscodeFarm.Media;
using TranscodeFarm.Worker.Ingest;

namespace TranscodeFarm.Worker.Pipeline;

/// <summary>The subtitle tracks a job will publish, and what was left out and why (the job's notes).</summary>
public sealed record SubtitleSources(IReadOnlyList<SubtitleTrack> Tracks, IReadOnlyList<string> Notes)
{
    public static SubtitleSources None { get; } = new([], []);
}

/// <summary>
/// Gathers the job's subtitles before the encode: the source's text streams (each turned into WebVTT by one bounded
/// ffmpeg run and read by the pure parser) and the subtitle files that came with a dropped video (read under
/// <see cref="UntrustedFile"/>'s rules, parsed as SRT or WebVTT by extension). A producer's file that is missing or
/// malformed fails the job with the file's name and line, unless the sidecar marked it optional: then the job goes
/// on without it and its notes say so. A source stream that cannot be converted (pictures, a broken stream) is left
/// out with a note: the video is still good.
/// </summary>
public sealed partial class SubtitleStage(ISubtitleExtractor extractor, ILogger<SubtitleStage> logger)
{
    /// <summary>A feature film's subtitle file is ~100 KB; anything far larger is not one.</summary>
    public const int MaxFileBytes = 4 * 1024 * 1024;

    internal async Task<SubtitleSources> GatherAsync(JobRecord job, SourcePlan source, CancellationToken cancellationToken)
    {
        var found = new List<(SubtitleFacts Facts, IReadOnlyList<SubtitleCue> Cues, string Origin)>();
        var notes = new List<string>();
        foreach (var stream in source.Info.Subtitles)
        {
            var origin = $"source subtitle stream {stream.Number} ({stream.Codec})";
            if (!stream.IsText)
            {
                notes.Add($"{origin} is pictures, not text: left out (it would need OCR)");
                continue;
            }

            var (vtt, error) = await extractor.ExtractAsync(source.Path, stream.Number, source.Info.DurationSeconds, cancellationToken);
            var parsed = vtt is null ? null : WebVttParser.Parse(vtt);
            if (parsed is not { Ok: true })
            {
                notes.Add($"{origin} could not be read, left out: {error ?? parsed!.Describe()}");
                continue;
            }

            found.Add((new SubtitleFacts(stream.Language, stream.Title, stream.Forced, stream.HearingImpaired, stream.Default), parsed.Cues, origin));
        }

        if (job.Origin == JobOrigin.DropFolder)
        {
            await AddFilesAsync(job, found, notes, cancellationToken);
        }

        var labels = SubtitleLabels.Assign([.. found.Select(f => f.Facts)]);
        foreach (var note in notes)
        {
            LogLeftOut(logger, job.Id, note);
        }

        return new SubtitleSources([.. found.Select((f, i) => new SubtitleTrack(labels[i], f.Cues, f.Origin))], notes);
    }

    private static async Task AddFilesAsync(JobRecord job, List<(SubtitleFacts, IReadOnlyList<SubtitleCue>, string)> found, List<string> notes, CancellationToken cancellationToken)
    {
        IReadOnlyList<SubtitleCompanion> companions;
        try
        {
            companions = await SubtitleCompanions.LoadAsync(job.SourcePath, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or System.Text.Json.JsonException)
        {
            throw StageFailure.Transient(PipelineStage.Probe, "the list of subtitle files is unreadable: " + ex.Message);
        }

        foreach (var c in companions)
        {
            var (cues, problem) = await ReadAsync(Path.GetDirectoryName(job.SourcePath)!, c, cancellationToken);
            if (problem is not null)
            {
                var message = $"subtitle file '{c.Original}'{problem}";
                if (!c.Optional)
                {
                    throw StageFailure.BadInput(PipelineStage.Probe, message);
                }

                notes.Add(message + " (optional: left out)");
                continue;
            }

            found.Add((new SubtitleFacts(c.Language, c.Name, c.Forced, c.Sdh, c.Default), cues!, c.Original));
        }
    }

    /// <returns>The cues, or the problem as the end of "subtitle file 'x.srt'…": ", line 7: …", " is missing", " is refused: …".</returns>
    private static async Task<(IReadOnlyList<SubtitleCue>? Cues, string? Problem)> ReadAsync(string folder, SubtitleCompanion c, CancellationToken cancellationToken)
    {
        if (c.Stored is null)
        {
            return (null, " is named by the sidecar but is not in the drop folder");
        }

        var (text, refusal) = await UntrustedFile.ReadSmallTextAsync(Path.Combine(folder, c.Stored), MaxFileBytes, cancellationToken);
        if (text is null)
        {
            return (null, " is refused: " + refusal);
        }

        var parsed = SubtitleFileName.IsWebVtt(c.Original) ? WebVttParser.Parse(text) : SrtParser.Parse(text);
        return parsed.Ok ? (parsed.Cues, null) : (null, $", {parsed.Describe()}");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: {Note}")]
    private static partial void LogLeftOut(ILogger logger, string jobId, string note);
}
