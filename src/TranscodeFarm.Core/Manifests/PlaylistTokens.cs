namespace TranscodeFarm.Core.Manifests;

/// <summary>
/// The old name of <see cref="MediaTokens.ApplyToHls"/>, kept only so the parallel rewrite of the edge's
/// EdgeEndpoints compiles whichever name it calls; delete once that has merged.
/// </summary>
public static class PlaylistTokens
{
    public static string Apply(string playlist, string token) => MediaTokens.ApplyToHls(playlist, token);
}
