using System.Globalization;
using System.Xml.Linq;

namespace TranscodeFarm.Core.Manifests;

public sealed record DashRepresentation(
    string Id,
    string ContentType,
    string MimeType,
    string Codecs,
    long Bandwidth,
    int? Width,
    int? Height,
    string Initialization,
    IReadOnlyList<string> Segments,
    IReadOnlyList<double> SegmentDurations)
{
    /// <summary>The AdaptationSet's lang, if any.</summary>
    public string? Language { get; init; }

    /// <summary>A whole-file text track (WebVTT): no codecs or init segment needed.</summary>
    public bool IsText => ContentType == "text";
}

public sealed record DashManifest(string Type, double? DurationSeconds, IReadOnlyList<DashRepresentation> Representations);

/// <summary>Reads an MPD with SegmentTemplate + SegmentTimeline and expands the segment URLs it references.</summary>
public static class DashParser
{
    private static readonly XNamespace Ns = "urn:mpeg:dash:schema:mpd:2011";

    public static DashManifest Parse(string xml)
    {
        var doc = XDocument.Parse(xml);
        var mpd = doc.Root ?? throw new FormatException("MPD has no root element");
        if (mpd.Name != Ns + "MPD")
        {
            throw new FormatException($"root element is {mpd.Name.LocalName}, expected MPD");
        }

        var reps = new List<DashRepresentation>();
        foreach (var set in mpd.Descendants(Ns + "AdaptationSet"))
        {
            var contentType = (string?)set.Attribute("contentType") ?? "";
            foreach (var rep in set.Elements(Ns + "Representation"))
            {
                reps.Add(ParseRepresentation(set, rep, contentType));
            }
        }

        return new DashManifest((string?)mpd.Attribute("type") ?? "static", ParseDuration((string?)mpd.Attribute("mediaPresentationDuration")), reps);
    }

    private static DashRepresentation ParseRepresentation(XElement set, XElement rep, string contentType)
    {
        var id = (string?)rep.Attribute("id") ?? throw new FormatException("Representation without id");
        if (rep.Element(Ns + "SegmentTemplate") is null && set.Element(Ns + "SegmentTemplate") is null && rep.Element(Ns + "BaseURL") is { } single)
        {
            // One whole file (a WebVTT subtitle track): no init segment, the file is the one "segment".
            return new DashRepresentation(id, contentType, (string?)rep.Attribute("mimeType") ?? (string?)set.Attribute("mimeType") ?? "",
                (string?)rep.Attribute("codecs") ?? (string?)set.Attribute("codecs") ?? "", (long?)rep.Attribute("bandwidth") ?? 0, null, null, "",
                [single.Value.Trim()], []) { Language = (string?)set.Attribute("lang") };
        }

        var template = rep.Element(Ns + "SegmentTemplate") ?? set.Element(Ns + "SegmentTemplate")
            ?? throw new FormatException($"Representation {id} has no SegmentTemplate");
        var timescale = (long?)template.Attribute("timescale") ?? 1;
        var start = (long?)template.Attribute("startNumber") ?? 1;
        var media = (string?)template.Attribute("media") ?? throw new FormatException($"Representation {id} has no media template");
        var init = Expand((string?)template.Attribute("initialization") ?? "", id, 0, 0);
        var segments = new List<string>();
        var durations = new List<double>();
        var number = start;
        long time = 0;
        foreach (var s in template.Element(Ns + "SegmentTimeline")?.Elements(Ns + "S") ?? [])
        {
            time = (long?)s.Attribute("t") ?? time;
            var d = (long?)s.Attribute("d") ?? throw new FormatException($"Representation {id}: S without d");
            var r = (int?)s.Attribute("r") ?? 0;
            for (var k = 0; k <= r; k++)
            {
                segments.Add(Expand(media, id, number++, time));
                durations.Add((double)d / timescale);
                time += d;
            }
        }

        return new DashRepresentation(
            id,
            contentType,
            (string?)rep.Attribute("mimeType") ?? (string?)set.Attribute("mimeType") ?? "",
            (string?)rep.Attribute("codecs") ?? (string?)set.Attribute("codecs") ?? "",
            (long?)rep.Attribute("bandwidth") ?? 0,
            (int?)rep.Attribute("width"),
            (int?)rep.Attribute("height"),
            init,
            segments,
            durations) { Language = (string?)set.Attribute("lang") };
    }

    /// <summary>Substitutes $RepresentationID$, $Number$ (with printf width like %05d) and $Time$.</summary>
    internal static string Expand(string template, string id, long number, long time)
    {
        var result = template.Replace("$RepresentationID$", id, StringComparison.Ordinal).Replace("$$", "$", StringComparison.Ordinal);
        result = ExpandNumber(result, "$Number", number);
        return ExpandNumber(result, "$Time", time);
    }

    private static string ExpandNumber(string s, string name, long value)
    {
        int at;
        while ((at = s.IndexOf(name, StringComparison.Ordinal)) >= 0)
        {
            var end = s.IndexOf('$', at + name.Length);
            if (end < 0)
            {
                break;
            }

            var format = s[(at + name.Length)..end]; // "" or "%05d"
            var width = format.Length > 2 && format[0] == '%' && format[^1] == 'd'
                ? int.Parse(format[1..^1], NumberStyles.Integer, CultureInfo.InvariantCulture)
                : 0;
            s = string.Concat(s.AsSpan(0, at), value.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0'), s.AsSpan(end + 1));
        }

        return s;
    }

    private static double? ParseDuration(string? iso)
    {
        if (string.IsNullOrEmpty(iso))
        {
            return null;
        }

        try
        {
            return System.Xml.XmlConvert.ToTimeSpan(iso).TotalSeconds;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
