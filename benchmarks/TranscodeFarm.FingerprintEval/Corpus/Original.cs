namespace TranscodeFarm.FingerprintEval.Corpus;

/// <summary>A generated original, at <paramref name="Path"/>.</summary>
internal sealed record Original(SourceSpec Spec, string Path);
