namespace TranscodeFarm.FingerprintEval.Corpus;

/// <summary>How a photograph moves during its shot (see <see cref="PhotoVideo"/>).</summary>
internal enum Motion
{
    ZoomIn,
    ZoomOut,
    PanRight,
    PanLeft,
    PanDown,

    /// <summary>A 3% zoom over the whole shot, centred: a near-static talking head.</summary>
    Drift,

    /// <summary>Upward pan at a 1.2 zoom (the hard negatives' "different motion").</summary>
    PanUp,
}
