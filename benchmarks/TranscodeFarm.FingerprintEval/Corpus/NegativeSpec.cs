namespace TranscodeFarm.FingerprintEval.Corpus;

/// <summary>
/// A hard negative: a file that is in no original, made to look or sound like some of them (<see cref="Kind"/> says
/// how). <see cref="Half"/> "A" calibrates thresholds, "B" only reports them.
/// </summary>
internal sealed record NegativeSpec(SourceSpec Source, string Kind, string Half);
