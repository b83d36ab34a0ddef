using TranscodeFarm.Core.Fingerprints;
using TranscodeFarm.FingerprintEval.Corpus;
using TranscodeFarm.FingerprintEval.Matching;
using TranscodeFarm.Media;

namespace TranscodeFarm.FingerprintEval.Evaluation;

/// <summary>Queries every copy, scores the answers per transformation and per original, and checks the issue's goals.</summary>
internal sealed class AccuracyEvaluation(
    IReadOnlyList<Original> originals,
    IReadOnlyList<Copy> copies,
    IReadOnlyDictionary<string, MediaFingerprint> fingerprints,
    IReadOnlyList<Transformation> transformations)
{
    public const double RecallGoal = 0.95;

    public List<QueryOutcome> Run(IMatcher matcher) =>
        copies.Select(c => new QueryOutcome(c, matcher.Match(fingerprints[c.Path]))).ToList();

    public void DescribeOriginals(Report report)
    {
        report.Table(
            ["original", "picture", "sound", "frames", "usable", "audio s"],
            originals.Select(o =>
            {
                var fp = fingerprints[o.Path];
                return (IReadOnlyList<string>)[o.Spec.Name, o.Spec.Description, o.Spec.Audio.Kind, fp.Video.Count.ToString(), Percent(fp.Video.UsableCount, fp.Video.Count), Report.F(fp.Audio?.DurationSeconds ?? 0, "0.0")];
            }));
    }

    /// <summary>One row per transformation; returns the names of those that miss a goal.</summary>
    /// <param name="others">Other matchers' outcomes on the same copies, shown as a recall column each.</param>
    public List<string> PerTransformation(Report report, List<QueryOutcome> primary, params (string Name, List<QueryOutcome> Outcomes)[] others)
    {
        var failing = new List<string>();
        var rows = new List<IReadOnlyList<string>>();
        foreach (var t in transformations)
        {
            var mine = primary.Where(o => o.Copy.Transformation == t).ToList();
            var found = mine.Count(o => o.Verdict == Verdict.Found);
            var errors = mine.Select(o => o.OffsetError).Where(e => !double.IsNaN(e)).ToList();
            var fp = mine.Sum(o => o.WrongAssets);
            var recall = (double)found / mine.Count;
            var otherRecalls = others.Select(other => Report.F((double)other.Outcomes.Count(o => o.Copy.Transformation == t && o.Verdict == Verdict.Found) / mine.Count));
            var via = mine.Where(o => o.Verdict == Verdict.Found).GroupBy(o => o.Top!.Via).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}");
            var distances = t.AudioOnly ? [] : mine.SelectMany(o => FrameDistances.Aligned(fingerprints[o.Copy.Path].Video, fingerprints[o.Copy.Original.Path].Video, t.TrueOffset)).ToList();
            var ok = recall >= RecallGoal && fp == 0 && (errors.Count == 0 || errors.Max() <= QueryOutcome.OffsetTolerance);
            if (!ok)
            {
                failing.Add(t.Name);
            }

            rows.Add([
                t.Name, $"{found}/{mine.Count}", Report.F(recall), mine.Count(o => o.Verdict == Verdict.Misplaced).ToString(),
                mine.Count(o => o.Verdict == Verdict.Missed).ToString(), fp.ToString(),
                Report.F(Report.Median(errors)), Report.F(errors.Count == 0 ? double.NaN : errors.Max()),
                Report.F(Report.Median(distances), "0"), distances.Count == 0 ? "-" : Percent(distances.Count(d => d <= 31), distances.Count),
                .. otherRecalls, string.Join(", ", via), ok ? "pass" : "FAIL",
            ]);
        }

        report.Table(["transformation", "found", "recall", "misplaced", "missed", "FP", "med err s", "max err s", "med bits", "≤31 bits", .. others.Select(o => o.Name + " recall"), "found by", "goals"], rows);
        report.Line("found = top answer is the right original within 0.5 s; misplaced = right original, wrong time; FP = wrong originals returned");
        report.Line("(any rank); err = |offset error| when the top answer is the right original; bits = Hamming distance of each usable copy");
        report.Line("frame to the original's frame at the true time (same picture ≤ 31); other recalls = other matchers on the same copies;");
        report.Line("found by = which track gave the top answer of the found copies.");
        return failing;
    }

    public void Grid(Report report, List<QueryOutcome> outcomes)
    {
        report.Table(
            transformations.Select(t => t.Name).Prepend("original \\ copy").ToList(),
            originals.Select(o => (IReadOnlyList<string>)transformations
                .Select(t => Cell(outcomes.Single(q => q.Copy.Original == o && q.Copy.Transformation == t)))
                .Prepend(o.Spec.Name).ToList()));
        report.Line("ok = found; offNs = right original, N s off; FP:x = top answer is original x; - = nothing returned; +FPn/-FPn = n wrong originals also returned;");
        report.Line("(Nb) after a miss = median Hamming distance of the copy's frames to the original's at the true time (same picture ≤ 31)");
    }

    private string Cell(QueryOutcome outcome)
    {
        var t = outcome.Copy.Transformation;
        if (outcome.Verdict == Verdict.Found || t.AudioOnly)
        {
            return outcome.Cell;
        }

        var bits = Report.Median(FrameDistances.Aligned(fingerprints[outcome.Copy.Path].Video, fingerprints[outcome.Copy.Original.Path].Video, t.TrueOffset));
        return $"{outcome.Cell}({Report.F(bits, "0")}b)";
    }

    /// <summary>Precision, recall and false positives over a set of outcomes; returns (recall, fp, max offset error).</summary>
    /// <param name="indexed">Assets each query was searched among, when not just the originals.</param>
    public (double Recall, int FalsePositives, double MaxError) Overall(Report report, string label, List<QueryOutcome> outcomes, int? indexed = null)
    {
        var found = outcomes.Count(o => o.Verdict == Verdict.Found);
        var answered = outcomes.Count(o => o.Top is not null);
        var fp = outcomes.Sum(o => o.WrongAssets);
        var pairs = (long)outcomes.Count * ((indexed ?? originals.Count) - 1);
        var errors = outcomes.Select(o => o.OffsetError).Where(e => !double.IsNaN(e)).ToList();
        var maxError = errors.Count == 0 ? double.NaN : errors.Max();
        report.Line($"{label}: recall {Report.F((double)found / outcomes.Count, "0.000")} ({found}/{outcomes.Count}), precision {Report.F(answered == 0 ? double.NaN : (double)found / answered, "0.000")} " +
            $"({found} right of {answered} answered), false positives {fp} of {pairs:N0} non-matching pairs, offset error median {Report.F(Report.Median(errors))} s max {Report.F(maxError)} s");
        return ((double)found / outcomes.Count, fp, maxError);
    }

    private static string Percent(int part, int whole) => whole == 0 ? "-" : Report.F(100.0 * part / whole, "0") + "%";
}
