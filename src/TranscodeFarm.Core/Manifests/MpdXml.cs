using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace TranscodeFarm.Core.Manifests;

/// <summary>Reads and writes an MPD for rewriting: no DTD (an MPD has none, and nothing external is resolved), whitespace kept.</summary>
internal static class MpdXml
{
    /// <summary>Throws <see cref="XmlException"/> when the text is not XML or has a DTD.</summary>
    public static XDocument Load(string mpd)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        using var reader = XmlReader.Create(new StringReader(mpd), settings);
        return XDocument.Load(reader, LoadOptions.PreserveWhitespace);
    }

    /// <summary>Writes the document back as it came: declaration, whitespace and namespace prefixes kept.</summary>
    public static string Serialize(XDocument doc)
    {
        var sb = new StringBuilder();
        if (doc.Declaration is { } declaration)
        {
            sb.Append(declaration);
        }

        foreach (var node in doc.Nodes())
        {
            sb.Append(node.ToString(SaveOptions.DisableFormatting));
        }

        return sb.ToString();
    }
}
