namespace TranscodeFarm.FingerprintEval.Corpus;

/// <summary>A transformed copy of an original, at <paramref name="Path"/>.</summary>
internal sealed record Copy(Original Original, Transformation Transformation, string Path);
