namespace TranscodeFarm.FingerprintEval.Corpus;

/// <summary>How a photograph moves during its shot (see <see cref="PhotoVideo"/>).</summary>
internal enum Motion
{
    ZoomIn,
    ZoomOut,
    PanRight,
    PanLeft,
    PanDown,
}
