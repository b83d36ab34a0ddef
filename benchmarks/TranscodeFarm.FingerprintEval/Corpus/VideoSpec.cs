using System.Globalization;

namespace TranscodeFarm.FingerprintEval.Corpus;

/// <summary>How an original's picture is made: ffmpeg inputs plus a filter graph that ends in <c>[v]</c>.</summary>
internal abstract record VideoSpec
{
    public const int Width = 1280;
    public const int Height = 720;
    public const int Rate = 30;

    /// <param name="seconds">Length of the original.</param>
    /// <param name="firstInput">Index of the first ffmpeg input this part adds.</param>
    public abstract (IReadOnlyList<string> Inputs, string Graph) Build(double seconds, int firstInput);

    protected static string Fmt(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
