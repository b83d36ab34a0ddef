using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace TranscodeFarm.Core.Packaging;

/// <summary>Reads the tracks of an input moov: ids, kinds, timescales, codecs and trex defaults.</summary>
public static class MoovReader
{
    public static IReadOnlyList<TrackInfo> ReadTracks(Mp4Box moov)
    {
        var trexes = new Dictionary<uint, Mp4Box>();
        foreach (var trex in moov.Child(FourCc.Mvex)?.ChildrenOf(FourCc.Trex) ?? [])
        {
            trexes[U32(trex.Body, 4)] = trex;
        }

        var tracks = new List<TrackInfo>();
        foreach (var trak in moov.ChildrenOf(FourCc.Trak))
        {
            var tkhd = trak.Child(FourCc.Tkhd) ?? throw new Mp4FormatException("a trak has no tkhd");
            var trackId = U32(tkhd.Body, Version(tkhd) == 1 ? 20 : 12);
            if (tracks.Any(t => t.TrackId == trackId))
            {
                throw new Mp4FormatException($"two tracks have id {trackId}");
            }

            var mdhd = trak.Find(FourCc.Mdia, FourCc.Mdhd) ?? throw new Mp4FormatException($"track {trackId} has no mdhd");
            var timescale = U32(mdhd.Body, Version(mdhd) == 1 ? 20 : 12);
            if (timescale == 0)
            {
                throw new Mp4FormatException($"track {trackId} has a zero timescale");
            }

            var hdlr = trak.Find(FourCc.Mdia, FourCc.Hdlr) ?? throw new Mp4FormatException($"track {trackId} has no hdlr");
            var handler = U32(hdlr.Body, 8);
            var entry = trak.Find(FourCc.Mdia, FourCc.Minf, FourCc.Stbl, FourCc.Stsd)?.Children?.FirstOrDefault()
                ?? throw new Mp4FormatException($"track {trackId} has no sample description");
            if (!trexes.TryGetValue(trackId, out var trex))
            {
                throw new Mp4FormatException($"track {trackId} has no trex: the input is not a fragmented MP4");
            }

            tracks.Add(Describe(trak, trackId, timescale, handler, entry, trex));
        }

        return tracks.Count > 0 ? tracks : throw new Mp4FormatException("the moov has no tracks");
    }

    private static TrackInfo Describe(Mp4Box trak, uint trackId, uint timescale, uint handler, Mp4Box entry, Mp4Box trex)
    {
        var kind = handler == FourCc.Vide ? TrackKind.Video : handler == FourCc.Soun ? TrackKind.Audio : TrackKind.Other;
        var defaults = new TrackDefaults(U32(trex.Body, 8), U32(trex.Body, 12), U32(trex.Body, 16), U32(trex.Body, 20));
        var avcC = entry.Child(FourCc.AvcC);
        var hvcC = entry.Child(FourCc.HvcC);
        var config = avcC?.Body ?? hvcC?.Body;
        var nalLength = avcC is { Body.Length: > 4 } ? (avcC.Body[4] & 3) + 1 : hvcC is { Body.Length: > 21 } ? (hvcC.Body[21] & 3) + 1 : 0;
        var info = new TrackInfo
        {
            TrackId = trackId,
            Kind = kind,
            Timescale = timescale,
            Trak = trak,
            Defaults = defaults,
            SampleEntry = entry.Type,
            Codec = CodecString(entry),
            CodecConfig = config,
            NalLengthSize = nalLength,
            IsPng = IsPngEntry(entry),
        };
        if (kind == TrackKind.Video && entry.Body.Length >= 28)
        {
            return info with { Width = BinaryPrimitives.ReadUInt16BigEndian(entry.Body.AsSpan(24)), Height = BinaryPrimitives.ReadUInt16BigEndian(entry.Body.AsSpan(26)) };
        }

        if (kind == TrackKind.Audio && entry.Body.Length >= 28)
        {
            // An AAC sample entry says 2 channels whatever the stream has (ffmpeg writes so for 5.1): the AudioSpecificConfig's
            // channelConfiguration is the truth, and a manifest's CHANNELS / AudioChannelConfiguration must say 6 for 5.1.
            var entryChannels = BinaryPrimitives.ReadUInt16BigEndian(entry.Body.AsSpan(16));
            var aacChannels = entry.Child(FourCc.Esds) is { } esds ? EsdsObjectTypes(esds.Body).Channels : null;
            return info with { Channels = aacChannels ?? entryChannels, SampleRate = BinaryPrimitives.ReadUInt16BigEndian(entry.Body.AsSpan(24)) };
        }

        return info;
    }

    /// <summary>
    /// PNG frames: ffmpeg's mp4 muxer writes them as an MPEG-4 "mp4v" entry whose esds says objectTypeIndication 0x6D
    /// (PNG in the MP4 registration authority's list); QuickTime-style files say "png " directly.
    /// </summary>
    private static bool IsPngEntry(Mp4Box entry) =>
        entry.Type == FourCc.Png
        || (entry.Type == FourCc.Mp4v && entry.Child(FourCc.Esds) is { } esds && EsdsObjectTypes(esds.Body).Oti == PngObjectType);

    private const int PngObjectType = 0x6D;

    /// <summary>RFC 6381 "codecs" value from a sample entry and its decoder configuration.</summary>
    public static string CodecString(Mp4Box entry)
    {
        var code = FourCc.ToString(entry.Type);
        if (entry.Child(FourCc.AvcC) is { Body.Length: >= 4 } avcC)
        {
            return $"{code}.{avcC.Body[1]:x2}{avcC.Body[2]:x2}{avcC.Body[3]:x2}";
        }

        if (entry.Child(FourCc.HvcC) is { Body.Length: >= 13 } hvcC)
        {
            return HevcCodec(code, hvcC.Body);
        }

        if (entry.Child(FourCc.Esds) is { } esds && EsdsObjectTypes(esds.Body) is { Oti: { } oti, Aot: { } aot })
        {
            return $"mp4a.{oti:x2}.{aot}";
        }

        return code;
    }

    private static string HevcCodec(string code, byte[] c)
    {
        var space = (c[1] >> 6) switch { 1 => "A", 2 => "B", 3 => "C", _ => "" };
        var tier = (c[1] & 0x20) != 0 ? 'H' : 'L';
        var compat = BinaryPrimitives.ReadUInt32BigEndian(c.AsSpan(2));
        uint reversed = 0;
        for (var i = 0; i < 32; i++)
        {
            reversed |= ((compat >> i) & 1) << (31 - i);
        }

        var sb = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"{code}.{space}{c[1] & 0x1F}.{reversed:X}.{tier}{c[12]}"));
        var constraints = c.AsSpan(6, 6);
        var last = constraints.LastIndexOfAnyExcept((byte)0);
        for (var i = 0; i <= last; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $".{constraints[i]:X2}");
        }

        return sb.ToString();
    }

    /// <summary>
    /// (objectTypeIndication, audio object type) from an esds: "mp4a.40.2" is AAC-LC. Either is null where the esds
    /// does not have it (only audio has an audio object type).
    /// </summary>
    private static (int? Oti, int? Aot, int? Channels) EsdsObjectTypes(byte[] esds)
    {
        var pos = 4; // version/flags
        int? oti = null;
        while (pos + 2 <= esds.Length)
        {
            var tag = esds[pos++];
            var length = 0;
            for (var i = 0; i < 4 && pos < esds.Length; i++)
            {
                var b = esds[pos++];
                length = (length << 7) | (b & 0x7F);
                if ((b & 0x80) == 0)
                {
                    break;
                }
            }

            switch (tag)
            {
                case 3: // ES_Descriptor: ES_ID, flags, optional fields, then nested descriptors
                    if (pos + 3 > esds.Length)
                    {
                        return (oti, null, null);
                    }

                    var flags = esds[pos + 2];
                    pos += 3 + ((flags & 0x80) != 0 ? 2 : 0) + ((flags & 0x20) != 0 ? 2 : 0);
                    if ((flags & 0x40) != 0 && pos < esds.Length)
                    {
                        pos += 1 + esds[pos];
                    }

                    break;
                case 4: // DecoderConfigDescriptor: objectTypeIndication, then 12 fixed bytes, then DecoderSpecificInfo
                    if (pos >= esds.Length)
                    {
                        return (oti, null, null);
                    }

                    oti = esds[pos];
                    pos += 13;
                    break;
                case 5:
                    if (oti is null || pos >= esds.Length)
                    {
                        return (oti, null, null);
                    }

                    var aot = esds[pos] >> 3;
                    if (aot == 31 && pos + 1 < esds.Length)
                    {
                        aot = 32 + (((esds[pos] & 7) << 3) | (esds[pos + 1] >> 5));
                    }

                    return (oti.Value, aot, AacChannels(esds.AsSpan(pos, Math.Min(length, esds.Length - pos))));
                default:
                    pos += length;
                    break;
            }
        }

        return (oti, null, null);
    }

    /// <summary>
    /// Channels from an AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1): audioObjectType (5 bits, 11 when escaped),
    /// samplingFrequencyIndex (4, plus 24 when 15), channelConfiguration (4): 1–6 are that many, 7 is 7.1; null for 0
    /// (a program config element says) or a config too short.
    /// </summary>
    public static int? AacChannels(ReadOnlySpan<byte> config)
    {
        var bit = 0;
        int Read(ReadOnlySpan<byte> c, int count)
        {
            var value = 0;
            for (var i = 0; i < count; i++, bit++)
            {
                value = (value << 1) | ((c[bit / 8] >> (7 - (bit % 8))) & 1);
            }

            return value;
        }

        var needed = 5 + 4 + 4;
        if (config.Length * 8 < needed)
        {
            return null;
        }

        var aot = Read(config, 5);
        needed += aot == 31 ? 6 : 0;
        if (config.Length * 8 < needed)
        {
            return null;
        }

        if (aot == 31)
        {
            Read(config, 6);
        }

        if (Read(config, 4) == 15)
        {
            needed += 24;
            if (config.Length * 8 < needed)
            {
                return null;
            }

            Read(config, 24);
        }

        return Read(config, 4) switch
        {
            >= 1 and <= 6 and var n => n,
            7 => 8,
            _ => null,
        };
    }

    internal static int Version(Mp4Box fullBox) => fullBox.Body.Length > 0 ? fullBox.Body[0] : throw new Mp4FormatException($"box '{fullBox.Name}' is empty");

    private static uint U32(byte[] body, int offset) =>
        offset + 4 <= body.Length ? BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(offset)) : throw new Mp4FormatException("a box is shorter than its fields");
}
