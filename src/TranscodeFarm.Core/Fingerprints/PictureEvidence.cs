namespace TranscodeFarm.Core.Fingerprints;

/// <summary>What the picture says about a match found by sound (issue 17, decision 012).</summary>
public enum PictureEvidence
{
    /// <summary>Not judged, or no verdict: a track is missing, too few usable frames overlap, or the frames are neither alike nor unrelated (a heavy crop).</summary>
    Unknown,

    /// <summary>The frames at that offset are the same pictures.</summary>
    Supports,

    /// <summary>Both tracks are there, enough frames overlap, and they are clearly other pictures.</summary>
    Contradicts,
}
