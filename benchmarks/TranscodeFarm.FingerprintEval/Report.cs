using System.Globalization;
using System.Text;

namespace TranscodeFarm.FingerprintEval;

/// <summary>The text printed at the end: sections, aligned tables, and a "GOAL MISSED" line for every goal not met.</summary>
internal sealed class Report
{
    private readonly StringBuilder _text = new();
    private readonly List<string> _goals = [];

    public IReadOnlyList<string> Goals => _goals;

    public void Section(string title) => _text.Append('\n').Append("## ").AppendLine(title);

    public void Line(string line = "") => _text.AppendLine(line);

    /// <summary>Records a goal's outcome; missed ones print as "GOAL MISSED" where they occur and again in the summary.</summary>
    public void Goal(bool met, string what)
    {
        var line = (met ? "goal met: " : "GOAL MISSED: ") + what;
        _goals.Add(line);
        _text.AppendLine(line);
    }

    public void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = rows.Prepend(headers).ToList();
        var widths = headers.Select((_, c) => all.Max(r => c < r.Count ? r[c].Length : 0)).ToArray();
        for (var r = 0; r < all.Count; r++)
        {
            _text.AppendLine(string.Join("  ", all[r].Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd());
            if (r == 0)
            {
                _text.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
            }
        }
    }

    public override string ToString() => _text.ToString();

    public static string F(double value, string format = "0.00") =>
        double.IsNaN(value) ? "-" : value.ToString(format, CultureInfo.InvariantCulture);

    public static double Median(IEnumerable<double> values) => Percentile(values, 0.5);

    /// <summary>Nearest-rank percentile; NaN when empty.</summary>
    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
