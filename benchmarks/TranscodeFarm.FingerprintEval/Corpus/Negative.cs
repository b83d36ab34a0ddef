namespace TranscodeFarm.FingerprintEval.Corpus;

/// <summary>A generated hard negative, at <paramref name="Path"/>.</summary>
internal sealed record Negative(NegativeSpec Spec, string Path);
