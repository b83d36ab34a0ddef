namespace TranscodeFarm.Core.Drm;

/// <summary>
/// The one place a KID is not in UUID byte order: PlayReady's WRMHEADER (&lt;KID&gt; / KID attribute) carries base64 of
/// the GUID in Microsoft's mixed-endian layout (first three fields little-endian), which is .NET's default
/// <see cref="Guid.ToByteArray()"/>.
/// </summary>
public static class PlayReadyKid
{
    public static string ToHeaderValue(Guid keyId) => Convert.ToBase64String(keyId.ToByteArray());
}
