using AnalyticsHub.Evaluation.Nab;
using FsCheck;
using FsCheck.Fluent;

namespace AnalyticsHub.Evaluation.Tests.Nab;

/// <summary>A synthetic labelled file: its rows, its windows (all after probation) and some detector scores.</summary>
public sealed record NabLayout(int Rows, (int First, int Last)[] Windows, double[] Scores)
{
    public NabSeries Series() => NabTestData.Series(Rows, Windows);

    public override string ToString() =>
        $"rows {Rows}, windows [{string.Join(", ", Windows.Select(w => $"{w.First}..{w.Last}"))}], scores {Scores.Length}";
}

/// <summary>FsCheck generators for NAB layouts.</summary>
public static class NabGenerators
{
    public static Arbitrary<NabLayout> Layouts() =>
        (from rows in Gen.Choose(20, 1500)
         from cuts in Gen.ListOf(Gen.Choose(NabScorer.ProbationRows(rows), rows - 1))
         from scores in Gen.ArrayOf(Gen.Elements(0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0), rows)
         select Build(rows, cuts, scores)).ToArbitrary();

    private static NabLayout Build(int rows, IEnumerable<int> cuts, double[] scores)
    {
        // Distinct sorted cut points taken in pairs give non-overlapping windows of at least two rows.
        var sorted = cuts.Distinct().Order().ToArray();
        var windows = new List<(int, int)>();
        for (var i = 0; i + 1 < sorted.Length && windows.Count < 6; i += 2)
        {
            windows.Add((sorted[i], sorted[i + 1]));
        }

        return new NabLayout(rows, [.. windows], scores);
    }
}
