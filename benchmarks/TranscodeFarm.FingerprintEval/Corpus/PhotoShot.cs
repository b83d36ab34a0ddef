namespace TranscodeFarm.FingerprintEval.Corpus;

/// <summary>One photograph of a <see cref="PhotoVideo"/> and how it moves.</summary>
internal sealed record PhotoShot(string File, Motion Motion);
