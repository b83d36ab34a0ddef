namespace TranscodeFarm.Core.Subtitles;

/// <summary>
/// One cue on the source's own timeline, in milliseconds (SRT and WebVTT both count milliseconds, so nothing is rounded).
/// <see cref="Text"/> is WebVTT cue text: lines joined by '\n', only WebVTT's own tags, '&amp;' and '&lt;' escaped.
/// </summary>
/// <param name="Settings">WebVTT cue settings ("line:0 align:start") kept from a WebVTT input; null otherwise.</param>
public sealed record SubtitleCue(long StartMs, long EndMs, string Text, string? Settings = null);
