using System.Text;
using TranscodeFarm.Core.Drm;
using TranscodeFarm.Core.Ffmpeg;
using TranscodeFarm.Core.Manifests;
using TranscodeFarm.Core.Packaging;
using TranscodeFarm.Core.Packaging.Manifests;
using TranscodeFarm.Core.Subtitles;

namespace TranscodeFarm.Worker.Pipeline;

/// <summary>
/// An asset's HLS and DASH manifests, rendered in memory from the packaged tracks once the encode has ended. Each is a
/// <see cref="PackagedObject"/> of its kind, so it carries its own content type and cache lifetime to the store.
/// </summary>
internal sealed class AssetManifests
{
    private readonly Dictionary<string, string> _texts = new(StringComparer.Ordinal);
    private readonly bool _withDash;

    private AssetManifests(IReadOnlyList<PackagedTrack> tracks, AssetEncryption encryption, string title, IReadOnlyList<SubtitleRendition> subtitles, IReadOnlySet<string> captioned)
    {
        _withDash = encryption.WritesDash;
        var playlists = new List<PackagedObject>();
        foreach (var t in tracks)
        {
            playlists.Add(Add(HlsWriter.PlaylistName(t), PackagedKind.MediaPlaylist, HlsWriter.Media(t, encryption.HlsKeysBeforeMap(t), encryption.HlsKeysAfterMap(t))));
        }

        foreach (var s in subtitles)
        {
            playlists.Add(Add(s.PlaylistName, PackagedKind.MediaPlaylist, HlsSubtitles.Media(s)));
        }

        var tops = new List<PackagedObject> { Add(OutputLayout.HlsMaster, PackagedKind.HlsMaster, HlsWriter.Master(tracks, encryption.HlsSessionKeys(), subtitles, captioned)) };
        if (_withDash)
        {
            tops.Add(Add(OutputLayout.DashManifest, PackagedKind.DashManifest, DashWriter.Write(tracks, title, subtitles, captioned)));
        }

        MediaPlaylists = playlists;
        TopManifests = tops;
    }

    /// <summary>One per rendition; uploaded before the top manifests that reference them.</summary>
    public IReadOnlyList<PackagedObject> MediaPlaylists { get; }

    /// <summary>The master playlist and (unless HLS-only) the MPD: uploaded last, they make the generation playable.</summary>
    public IReadOnlyList<PackagedObject> TopManifests { get; }

    /// <summary>Renders every manifest, or says why the packaged tracks cannot make a whole asset.</summary>
    public static (AssetManifests? Manifests, string? Problem) Render(
        IReadOnlyList<PackagedTrack> tracks, AssetEncryption encryption, string title, IReadOnlyList<SubtitleRendition>? subtitles = null,
        IReadOnlySet<string>? captioned = null) =>
        tracks.Count == 0 || tracks.Any(t => t.Segments.Count == 0)
            ? (null, "packaging produced no segments for at least one rendition (the source has no decodable media?)")
            : (new AssetManifests(tracks, encryption, title, subtitles ?? [], captioned ?? new HashSet<string>()), null);

    /// <summary>
    /// Checks the manifests against the HLS and DASH rules players depend on, and that every object they reference is one
    /// the publisher really uploaded (or one of these manifests, which go up next); null when the asset is whole.
    /// </summary>
    public string? Check(Func<string, bool> uploaded)
    {
        var check = ManifestCheck.Check(_texts, _withDash);
        var missing = check.ReferencedFiles.Where(f => !_texts.ContainsKey(f) && !uploaded(f)).Order(StringComparer.Ordinal).ToList();
        return check.Ok && missing.Count == 0
            ? null
            : "packaging produced an incomplete asset: "
                + string.Join("; ", check.Problems.Concat(missing.Take(5).Select(m => $"{m} is referenced but was not written")));
    }

    /// <summary>The top manifests as the asset's root serves them: every relative URI led into the generation's folder.</summary>
    public IEnumerable<PackagedObject> RootCopies(string generationFolder) =>
        TopManifests.Select(top => top with
        {
            Bytes = Encoding.UTF8.GetBytes(RootManifests.ForRoot(_texts[top.Name], top.Kind == PackagedKind.DashManifest, generationFolder)),
        });

    private PackagedObject Add(string name, PackagedKind kind, string text)
    {
        _texts[name] = text;
        return new PackagedObject(name, kind, Encoding.UTF8.GetBytes(text));
    }
}
