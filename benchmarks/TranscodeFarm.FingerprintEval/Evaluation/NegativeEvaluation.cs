using TranscodeFarm.Core.Fingerprints;
using TranscodeFarm.FingerprintEval.Corpus;
using TranscodeFarm.FingerprintEval.Matching;
using TranscodeFarm.Media;

namespace TranscodeFarm.FingerprintEval.Evaluation;

/// <summary>
/// The hard negatives (issue 17): every claim a matcher makes on one is false. Reports false claims per kind and half
/// with the production thresholds, the calibration figures on half A that chose them, and a sweep of the audio
/// thresholds (recall on the positives against false claims on each half).
/// </summary>
internal sealed class NegativeEvaluation(
    IReadOnlyList<Original> originals,
    IReadOnlyList<Copy> copies,
    IReadOnlyList<Negative> negatives,
    IReadOnlyDictionary<string, MediaFingerprint> fingerprints)
{
    /// <summary>Negatives of a half with at least one claim, and the claims; audio-only records on the side.</summary>
    public void PerKind(Report report, ContentIndexMatcher production, ContentIndexMatcher soundOnly)
    {
        var rows = new List<IReadOnlyList<string>>();
        foreach (var kind in HardNegatives.Kinds)
        {
            var row = new List<string> { kind };
            foreach (var half in new[] { "A", "B" })
            {
                var mine = negatives.Where(n => n.Spec.Kind == kind && n.Spec.Half == half).ToList();
                var all = mine.Select(n => production.All(fingerprints[n.Path])).ToList();
                var sound = mine.Select(n => soundOnly.Match(fingerprints[n.Path])).ToList();
                row.Add(mine.Count.ToString());
                row.Add(all.Sum(a => a.Count(m => m.IsClaim)).ToString());
                row.Add(all.Sum(a => a.Count(m => !m.IsClaim)).ToString());
                row.Add(sound.Sum(s => s.Count).ToString());
            }

            rows.Add(row);
        }

        rows.Add(Totals(rows));
        report.Table(["negative kind", "A n", "A claims", "A audio-only", "A claims by sound alone", "B n", "B claims", "B audio-only", "B claims by sound alone"], rows);
        report.Line("claims = false claims of the production ContentMatcher (picture + sound); audio-only = sound matched under a picture that");
        report.Line("contradicts it (recorded, not a claim); by sound alone = the same negatives queried with their sound only (no picture to contradict;");
        report.Line("for \"same music, other picture\" those are right: the sound is an original's).");
        foreach (var n in negatives)
        {
            foreach (var m in production.All(fingerprints[n.Path]))
            {
                var original = fingerprints[originals.Single(o => o.Spec.Name == m.AssetId).Path].Video;
                var picture = PictureCheck.Measure(fingerprints[n.Path].Video.Frames, original, m.OffsetSeconds, new FingerprintIndexOptions());
                report.Line($"  {n.Spec.Half} {n.Spec.Source.Name} → {m.AssetId} ({(m.IsClaim ? "CLAIM" : "audio-only")}, by {m.Source}, score {Report.F(m.Score)}, BER {Report.F(m.AudioBitErrorRate ?? double.NaN, "0.000")}, " +
                    $"{Report.F(m.MatchedSeconds, "0.0")} s at {Report.F(m.OffsetSeconds, "0.0")} s, picture {m.Picture}: {picture.Distances.Count} frame pairs, median {Report.F(picture.MedianDistance, "0")} bits, asset churn {picture.MedianChurn} bits)");
            }
        }
    }

    /// <summary>False claims on a half (picture + sound, and sound alone) with the production thresholds.</summary>
    public int FalseClaims(string half, IMatcher matcher) =>
        negatives.Where(n => n.Spec.Half == half).Sum(n => matcher.Match(fingerprints[n.Path]).Count);

    /// <summary>
    /// The figures the audio thresholds were chosen from, half A only: each negative's sound aligned exhaustively with
    /// each original's (best offset), its bit error rate and <see cref="AudioVerifier"/> contrast, against the same
    /// figures for every copy with sound at its true offset.
    /// </summary>
    public void Calibration(Report report, AudioIndexOptions options)
    {
        var negativeRows = new List<(string Kind, double Ber, double Contrast, double Share)>();
        // "Same music, other picture" is left out: its sound truly is an original's (the picture decides those).
        foreach (var n in negatives.Where(n => n.Spec.Half == "A" && n.Spec.Kind != HardNegatives.Kinds[8] && fingerprints[n.Path].Audio is not null))
        {
            var audio = fingerprints[n.Path].Audio!;
            foreach (var o in originals.Where(o => fingerprints[o.Path].Audio is not null))
            {
                var alignment = AudioAligner.Align(audio, fingerprints[o.Path].Audio!);
                if (alignment is null || alignment.Distinctness < AudioAligner.MinDistinctness)
                {
                    continue;
                }

                var check = AudioVerifier.Check(audio.Items, fingerprints[o.Path].Audio!.Items, alignment.OffsetItems, 0.5, 0, audio.ItemSeconds);
                negativeRows.Add((n.Spec.Kind, alignment.BitErrorRate, check.MedianContrast, check.AgreeingShare));
            }
        }

        var positiveRows = new List<(string Kind, double Ber, double Contrast, double Share)>();
        foreach (var c in copies.Where(c => fingerprints[c.Path].Audio is not null && fingerprints[c.Original.Path].Audio is not null))
        {
            var audio = fingerprints[c.Path].Audio!;
            var reference = fingerprints[c.Original.Path].Audio!;
            var truth = c.Transformation.TrueOffset;
            var alignment = AudioAligner.Align(audio, reference, window: (truth - 0.5, truth + 0.5));
            if (alignment is null)
            {
                continue;
            }

            var check = AudioVerifier.Check(audio.Items, reference.Items, alignment.OffsetItems, 0.5, 0, audio.ItemSeconds);
            positiveRows.Add((c.Transformation.Name, alignment.BitErrorRate, check.MedianContrast, check.AgreeingShare));
        }

        report.Table(["pairs (half A negatives × originals; copies at their true offset)", "n", "BER min", "BER median", "BER max", "contrast median", "contrast max", "contrast min"],
            negativeRows.GroupBy(r => r.Kind).Select(g => Row("negative: " + g.Key, g.ToList()))
                .Append(Row("all half-A negative pairs", negativeRows))
                .Concat(positiveRows.GroupBy(r => r.Kind).Select(g => Row("copy: " + g.Key, g.ToList())))
                .Append(Row("all copies with sound", positiveRows)));
        report.Line($"production: BER ≤ {options.MaxBitErrorRate}, each ~3-s window ≥ {options.MinContrast} under its median BER 0.4–2 s away, ≥ {options.MinAgreeingShare:0%} of windows agreeing,");
        report.Line($"agreeing sound ≥ {options.MinQueryShare:0%} of the query's sound (or {options.LongMatchSeconds} s). Chosen between the half-A negatives' highest contrast and the copies' lowest.");
    }

    /// <summary>
    /// The figure the picture's near rule (<see cref="NearMatch"/>) was chosen from, half A only (half B shown, not used):
    /// each negative's picture slid along each original's (every 0.25 s), the lowest near distance at which the rule would
    /// accept it at some offset (the <see cref="NearMatch.RequiredFrames"/>-th smallest aligned distance); against the
    /// same figure for the copies at their true offset.
    /// </summary>
    public void PictureCalibration(Report report, FingerprintIndexOptions options)
    {
        var rows = new List<IReadOnlyList<string>>();
        foreach (var half in new[] { "A", "B" })
        {
            foreach (var group in negatives.Where(n => n.Spec.Half == half).GroupBy(n => n.Spec.Kind))
            {
                var closest = group.SelectMany(n => originals.Select(o => (Negative: n, Original: o, Median: Lowest(fingerprints[n.Path].Video, fingerprints[o.Path].Video, options))))
                    .Where(r => r.Median is not null)
                    .OrderBy(r => r.Median)
                    .ToList();
                rows.Add([$"{half} negative: {group.Key}", closest.Count.ToString(), closest.Count == 0 ? "-" : closest[0].Median!.Value.ToString(),
                    closest.Count == 0 ? "-" : $"{closest[0].Negative.Spec.Source.Name} × {closest[0].Original.Spec.Name}"]);
            }
        }

        foreach (var group in copies.Where(c => c.Transformation.Name is not "audio-only").GroupBy(c => c.Transformation.Name))
        {
            var needed = group.Select(c => Needed(fingerprints[c.Path].Video, fingerprints[c.Original.Path].Video, c.Transformation.TrueOffset, options))
                .Where(m => m is not null)
                .Select(m => m!.Value)
                .Order()
                .ToList();
            rows.Add([$"copy: {group.Key} (at the true offset)", needed.Count.ToString(), needed.Count == 0 ? "-" : needed[^1].ToString(),
                $"highest; all: {string.Join(" ", needed)}"]);
        }

        report.Table(["pictures (negatives × originals, closest offset; copies at the true offset)", "n", "near bits needed", "pair"], rows);
        report.Line($"production near rule: ≥ max({options.MinNearFrames}, {options.MinScore:0%} of the query's usable frames) within {options.NearDistance} bits at one offset;");
        report.Line("\"near bits needed\" = the distance at which that rule would first accept; the production distance is chosen under half A's lowest.");
    }

    /// <summary>The near distance the rule needs to accept the query at this offset; null when too few frames align.</summary>
    private static int? Needed(VideoFingerprint query, VideoFingerprint reference, double offset, FingerprintIndexOptions options)
    {
        var required = NearMatch.RequiredFrames(query.Frames.Count(f => f.Quality >= options.MinQuality), options);
        var distances = PictureCheck.Measure(query.Frames, reference, offset, options).Distances.Order().ToList();
        return distances.Count >= required ? distances[required - 1] : null;
    }

    private static int? Lowest(VideoFingerprint query, VideoFingerprint reference, FingerprintIndexOptions options)
    {
        if (query.Count == 0 || reference.Count == 0)
        {
            return null;
        }

        int? lowest = null;
        var from = reference.Frames[0].TimeSeconds - query.Frames[^1].TimeSeconds;
        var to = reference.Frames[^1].TimeSeconds - query.Frames[0].TimeSeconds;
        for (var offset = from; offset <= to; offset += 0.25)
        {
            if (Needed(query, reference, offset, options) is { } needed && (lowest is null || needed < lowest))
            {
                lowest = needed;
            }
        }

        return lowest;
    }

    private static IReadOnlyList<string> Row(string label, List<(string Kind, double Ber, double Contrast, double Share)> rows) =>
        rows.Count == 0
            ? [label, "0", "-", "-", "-", "-", "-", "-"]
            : [label, rows.Count.ToString(), Report.F(rows.Min(r => r.Ber), "0.000"), Report.F(Report.Median(rows.Select(r => r.Ber)), "0.000"), Report.F(rows.Max(r => r.Ber), "0.000"),
               Report.F(Report.Median(rows.Select(r => r.Contrast)), "0.000"), Report.F(rows.Max(r => r.Contrast), "0.000"), Report.F(rows.Min(r => r.Contrast), "0.000")];

    /// <summary>
    /// The audio thresholds swept, everything else at production values: recall on all copies (claims, top answer
    /// right within 0.5 s), on the sound-only copies, false claims per half, and precision over positives + negatives.
    /// </summary>
    public void Sweep(Report report, IReadOnlyList<(string Label, AudioIndexOptions Options, bool CountAudioOnly)> settings)
    {
        var rows = new List<IReadOnlyList<string>>();
        foreach (var (label, options, countAudioOnly) in settings)
        {
            using var matcher = new ContentMatcher(audioOptions: options);
            foreach (var o in originals)
            {
                matcher.Add(o.Spec.Name, fingerprints[o.Path].Video, fingerprints[o.Path].Audio);
            }

            var content = new ContentIndexMatcher(matcher);
            IReadOnlyList<MatchCandidate> Answer(MediaFingerprint fp) => countAudioOnly
                ? content.All(fp).Select(m => new MatchCandidate(m.AssetId, m.OffsetSeconds, m.Score, "any")).ToList()
                : content.Match(fp);
            var outcomes = copies.Select(c => new QueryOutcome(c, Answer(fingerprints[c.Path]))).ToList();
            var found = outcomes.Count(o => o.Verdict == Verdict.Found);
            var wrong = outcomes.Sum(o => o.WrongAssets);
            var soundOnly = outcomes.Where(o => o.Copy.Transformation.AudioOnly).ToList();
            var claimsA = negatives.Where(n => n.Spec.Half == "A").Sum(n => Answer(fingerprints[n.Path]).Count);
            var claimsB = negatives.Where(n => n.Spec.Half == "B").Sum(n => Answer(fingerprints[n.Path]).Count);
            var answered = outcomes.Sum(o => o.Candidates.Count) + claimsA + claimsB;
            rows.Add([label, Report.F((double)found / outcomes.Count, "0.000"), $"{soundOnly.Count(o => o.Verdict == Verdict.Found)}/{soundOnly.Count}", wrong.ToString(), claimsA.ToString(), claimsB.ToString(),
                Report.F(answered == 0 ? double.NaN : (double)found / answered, "0.000")]);
        }

        report.Table(["audio rule", "recall", "sound-only copies found", "wrong originals on copies", "false claims A", "false claims B", "precision"], rows);
        report.Line("precision = right answers / every claim made over copies and negatives. Rows marked * count audio-only records as claims (the rule before issue 17).");
    }

    private static List<string> Totals(List<IReadOnlyList<string>> rows) =>
        ["all", .. Enumerable.Range(1, rows[0].Count - 1).Select(c => rows.Sum(r => int.Parse(r[c], System.Globalization.CultureInfo.InvariantCulture)).ToString())];
}
