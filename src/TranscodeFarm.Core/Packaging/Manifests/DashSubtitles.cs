using System.Xml.Linq;
using TranscodeFarm.Core.Subtitles;

namespace TranscodeFarm.Core.Packaging.Manifests;

/// <summary>
/// Subtitles in the MPD: one text AdaptationSet per track, mimeType text/vtt, whose one Representation is the whole
/// track as a single WebVTT file (its BaseURL). Shaka and dash.js play such "sidecar" text; it needs no segment
/// template because a WebVTT file is small. Role (urn:mpeg:dash:role:2011): "subtitle", "caption" for SDH,
/// "forced-subtitle" for forced; "main" as well on the default track.
/// </summary>
public static class DashSubtitles
{
    public static IEnumerable<XElement> AdaptationSets(XNamespace ns, int firstId, IReadOnlyList<SubtitleRendition> subtitles)
    {
        var id = firstId;
        foreach (var s in subtitles)
        {
            var l = s.Label;
            var set = new XElement(ns + "AdaptationSet",
                new XAttribute("id", id++),
                new XAttribute("contentType", "text"),
                new XAttribute("mimeType", Assets.MediaTypes.WebVtt),
                new XAttribute("lang", l.Language),
                new XElement(ns + "Label", l.Name));
            set.Add(Role(ns, l.Forced ? "forced-subtitle" : l.HearingImpaired ? "caption" : "subtitle"));
            if (l.Default)
            {
                set.Add(Role(ns, "main"));
            }

            set.Add(new XElement(ns + "Representation",
                new XAttribute("id", s.Id),
                new XAttribute("bandwidth", 256),
                new XElement(ns + "BaseURL", s.FileName)));
            yield return set;
        }
    }

    /// <summary>CEA-608 channel 1 in the video (SCTE 214-1): "CC1" with no language, as the source does not say.</summary>
    public static XElement ClosedCaptions(XNamespace ns) =>
        new(ns + "Accessibility", new XAttribute("schemeIdUri", "urn:scte:dash:cc:cea-608:2015"), new XAttribute("value", Subtitles.ClosedCaptions.InstreamId));

    private static XElement Role(XNamespace ns, string value) =>
        new(ns + "Role", new XAttribute("schemeIdUri", "urn:mpeg:dash:role:2011"), new XAttribute("value", value));
}
