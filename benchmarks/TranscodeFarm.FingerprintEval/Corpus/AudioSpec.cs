using System.Globalization;

namespace TranscodeFarm.FingerprintEval.Corpus;

/// <summary>How an original's sound is made: ffmpeg inputs plus a filter graph that ends in <c>[a]</c>.</summary>
internal abstract record AudioSpec
{
    public abstract string Kind { get; }

    public abstract (IReadOnlyList<string> Inputs, string Graph) Build(double seconds, int firstInput);

    protected static string Fmt(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
