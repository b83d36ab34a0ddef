namespace TranscodeFarm.Core.Subtitles;

/// <summary>A subtitle track ready to package: its label and its cues on the source's timeline.</summary>
/// <param name="Origin">Where it came from, for notes and errors: "film.fr.srt", "source subtitle stream 1 (ass)".</param>
public sealed record SubtitleTrack(SubtitleLabel Label, IReadOnlyList<SubtitleCue> Cues, string Origin);
