namespace TranscodeFarm.Core.Subtitles;

/// <summary>
/// How a subtitle track is offered to viewers. The same facts go to HLS (EXT-X-MEDIA LANGUAGE, NAME, DEFAULT,
/// FORCED, CHARACTERISTICS) and DASH (lang, Label, Role).
/// </summary>
/// <param name="Language">BCP 47 ("fr", "pt-BR"), or "und" when nobody said.</param>
/// <param name="Name">What a player's menu shows; unique among the asset's subtitle tracks.</param>
/// <param name="Forced">Forced narrative: only the lines a viewer needs when watching in the audio's language (signs, foreign dialogue).</param>
/// <param name="HearingImpaired">SDH / captions: dialogue plus music and sound descriptions.</param>
/// <param name="Default">The track a player shows without being asked (at most one per asset).</param>
public sealed record SubtitleLabel(string Language, string Name, bool Forced = false, bool HearingImpaired = false, bool Default = false)
{
    /// <summary>HLS CHARACTERISTICS of an SDH track (RFC 8216bis / Apple's authoring spec).</summary>
    public const string SdhCharacteristics = "public.accessibility.transcribes-spoken-dialog,public.accessibility.describes-music-and-sound";
}
