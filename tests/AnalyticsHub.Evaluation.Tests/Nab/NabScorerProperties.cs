using AnalyticsHub.Evaluation.Nab;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AnalyticsHub.Evaluation.Tests.Nab;

[Properties(Arbitrary = [typeof(NabGenerators)], MaxTest = 150)]
public class NabScorerProperties
{
    private static readonly NabProfile[] Profiles =
        [NabProfile.Standard, NabProfile.RewardLowFalsePositives, NabProfile.RewardLowFalseNegatives];

    [Property]
    public Property ScoreFile_NullDetector_NormalisesToZeroForAnyLayout(NabLayout layout)
    {
        var tally = NabScorer.ScoreFile(layout.Series(), new double[layout.Rows], 0.5);

        return Profiles.All(p => Math.Abs(tally.Raw(p) + (p.FalseNegativeWeight * layout.Windows.Length)) < 1e-9
                && (layout.Windows.Length == 0 || Math.Abs(tally.Normalised(p)!.Value) < 1e-9))
            .Label(layout.ToString());
    }

    [Property]
    public bool ScoreFile_FirstRowOfEveryWindow_NormalisesTo100ForAnyLayout(NabLayout layout)
    {
        var scores = NabTestData.DetectionsAt(layout.Rows, [.. layout.Windows.Select(w => w.First)]);
        var tally = NabScorer.ScoreFile(layout.Series(), scores, 0.5);

        // A layout without windows has nothing to normalise by (and then no detection either).
        return layout.Windows.Length == 0
            ? tally.Normalised(NabProfile.Standard) is null && tally.FalsePositiveRows == 0
            : Profiles.All(p => Math.Abs(tally.Normalised(p)!.Value - 100.0) < 1e-9);
    }

    [Property]
    public bool ScoreFile_AnyScoresAndThreshold_NeverExceed100(NabLayout layout, byte thresholdStep)
    {
        var threshold = thresholdStep / 255.0;
        var tally = NabScorer.ScoreFile(layout.Series(), layout.Scores, threshold);

        return layout.Windows.Length == 0
            ? tally.Raw(NabProfile.Standard) <= 0
            : Profiles.All(p => tally.Normalised(p)!.Value <= 100.0 + 1e-9);
    }

    [Property]
    public bool ScoreFile_AnyScores_CountsAreConsistent(NabLayout layout, byte thresholdStep)
    {
        var tally = NabScorer.ScoreFile(layout.Series(), layout.Scores, thresholdStep / 255.0);

        return tally.WindowsHit <= tally.Windows
            && tally.FalsePositiveEvents <= tally.FalsePositiveRows
            && (tally.FalsePositiveRows == 0) == (tally.FalsePositiveEvents == 0)
            && tally.FalsePositiveSum <= 0
            && tally.TruePositiveSum <= tally.WindowsHit + 1e-9;
    }

    [Property]
    public bool Sweep_AnyScores_EqualsBruteForceOverEveryCandidateThreshold(NabLayout layout)
    {
        var series = layout.Series();
        var best = NabThresholdSweep.FindBest([series], [layout.Scores], NabProfile.Standard);

        var brute = layout.Scores.Distinct().Append(best.Threshold)
            .Select(t => NabScorer.ScoreFile(series, layout.Scores, t).Raw(NabProfile.Standard))
            .Max();
        var atBest = NabScorer.ScoreFile(series, layout.Scores, best.Threshold).Raw(NabProfile.Standard);

        return Math.Abs(best.Raw - brute) < 1e-9 && Math.Abs(atBest - best.Raw) < 1e-9;
    }
}
