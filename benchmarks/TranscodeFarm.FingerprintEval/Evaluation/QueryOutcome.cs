using TranscodeFarm.FingerprintEval.Corpus;
using TranscodeFarm.FingerprintEval.Matching;

namespace TranscodeFarm.FingerprintEval.Evaluation;

/// <summary>What one matcher said about one copy, scored against the truth.</summary>
internal sealed record QueryOutcome(Copy Copy, IReadOnlyList<MatchCandidate> Candidates)
{
    /// <summary>The issue's goal for the time a copy is placed at.</summary>
    public const double OffsetTolerance = 0.5;

    public MatchCandidate? Top => Candidates.Count > 0 ? Candidates[0] : null;

    public string TrueAsset => Copy.Original.Spec.Name;

    /// <summary>|returned − true offset| when the top match is the right original; NaN otherwise.</summary>
    public double OffsetError => Top is { } top && top.AssetId == TrueAsset ? Math.Abs(top.OffsetSeconds - Copy.Transformation.TrueOffset) : double.NaN;

    /// <summary>Distinct wrong originals anywhere in the answer: false positives over non-matching pairs.</summary>
    public int WrongAssets => Candidates.Select(c => c.AssetId).Where(a => a != TrueAsset).Distinct(StringComparer.Ordinal).Count();

    public Verdict Verdict => Top switch
    {
        null => Verdict.Missed,
        { } t when t.AssetId != TrueAsset => Verdict.WrongAsset,
        _ => OffsetError <= OffsetTolerance ? Verdict.Found : Verdict.Misplaced,
    };

    /// <summary>A short cell for the per-original grid.</summary>
    public string Cell => Verdict switch
    {
        Verdict.Found => WrongAssets > 0 ? $"ok+FP{WrongAssets}" : "ok",
        Verdict.Misplaced => $"off{Report.F(OffsetError, "0.0")}s",
        Verdict.WrongAsset => "FP:" + Top!.AssetId,
        _ => WrongAssets > 0 ? $"-FP{WrongAssets}" : "-",
    };
}
