namespace TranscodeFarm.FingerprintEval.Evaluation;

internal enum Verdict
{
    /// <summary>Top match is the right original, offset within tolerance: a true positive.</summary>
    Found,

    /// <summary>Top match is the right original at the wrong time.</summary>
    Misplaced,

    /// <summary>Top match is another original.</summary>
    WrongAsset,

    /// <summary>Nothing returned.</summary>
    Missed,
}
