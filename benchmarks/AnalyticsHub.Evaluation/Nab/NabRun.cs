namespace AnalyticsHub.Evaluation.Nab;

/// <summary>A whole corpus run through one detector at one threshold.</summary>
public sealed record NabRun
{
    /// <summary>Gets the detector's registered name.</summary>
    public required string Detector { get; init; }

    /// <summary>Gets the threshold the tallies were computed at.</summary>
    public required double Threshold { get; init; }

    /// <summary>Gets the per-file results, in corpus order.</summary>
    public required IReadOnlyList<NabFileResult> Files { get; init; }

    /// <summary>Gets the sum of every file's tally.</summary>
    public NabTally Total
    {
        get
        {
            var total = default(NabTally);
            foreach (var file in Files)
            {
                total += file.Tally;
            }

            return total;
        }
    }

    /// <summary>Groups the file tallies by category, categories ordered by name (ordinal).</summary>
    /// <returns>One result per category.</returns>
    public IReadOnlyList<NabCategoryResult> ByCategory()
    {
        var totals = new SortedDictionary<string, NabTally>(StringComparer.Ordinal);
        foreach (var file in Files)
        {
            totals.TryGetValue(file.Series.Category, out var tally);
            totals[file.Series.Category] = tally + file.Tally;
        }

        return [.. totals.Select(static pair => new NabCategoryResult(pair.Key, pair.Value))];
    }

    /// <summary>Finds, in hindsight, the threshold that would have maximised a profile's score on these files.</summary>
    /// <param name="profile">The weights to maximise.</param>
    /// <returns>The best threshold and its score.</returns>
    public NabSweepResult Sweep(NabProfile profile) =>
        NabThresholdSweep.FindBest(
            [.. Files.Select(static f => f.Series)],
            [.. Files.Select(static f => f.Scores)],
            profile);
}
