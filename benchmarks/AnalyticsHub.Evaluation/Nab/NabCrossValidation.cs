namespace AnalyticsHub.Evaluation.Nab;

/// <summary>
/// Leave-one-category-out cross-validation of a detector grid: for each category with windows, choose a
/// configuration on the other categories only and score it on the one left out.
/// </summary>
/// <remarks>
/// <para>A configuration's selection score on a set of categories is the mean of its per-category
/// standard-profile scores (each category weighs the same, however many windows it has): for a fixed
/// grid that is exactly the mean of the inner leave-one-category-out folds, so the choice never sees the
/// held-out category. Categories without windows (NAB's <c>artificialNoAnomaly</c>) are in every training
/// set and judged by their false-positive rows: a configuration with more than
/// <see cref="MaxNoAnomalyFalsePositiveRows"/> of them is eligible only when no configuration has fewer.</para>
/// <para>Each configuration runs once over the corpus; the folds reuse its per-category tallies, which gives
/// the same result as running the grid inside each fold.</para>
/// </remarks>
public static class NabCrossValidation
{
    /// <summary>The most false-positive rows a configuration may raise on the files without anomalies and stay eligible.</summary>
    public const int MaxNoAnomalyFalsePositiveRows = 4;

    /// <summary>Runs every candidate over the corpus and cross-validates the selection.</summary>
    /// <param name="corpus">The labelled corpus; at least two categories must have windows.</param>
    /// <param name="candidates">The configurations to choose from, in order of preference on ties.</param>
    /// <param name="profile">The profile that both selects and scores (<see cref="NabProfile.Standard"/> when null).</param>
    /// <returns>The folds, their mean and worst score, and the configuration chosen on every category.</returns>
    /// <exception cref="ArgumentException">There is no candidate, or fewer than two categories have windows.</exception>
    public static NabCrossValidationResult Run(NabCorpus corpus, IReadOnlyList<StreamingAnomalyScorerRegistration> candidates, NabProfile? profile = null)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(candidates);
        if (candidates.Count == 0)
        {
            throw new ArgumentException("at least one candidate configuration is needed.", nameof(candidates));
        }

        var tallies = new List<IReadOnlyList<NabCategoryResult>>(candidates.Count);
        foreach (var candidate in candidates)
        {
            tallies.Add(NabRunner.Run(corpus, candidate).ByCategory());
        }

        return Select(candidates, tallies, profile);
    }

    /// <summary>Cross-validates the selection from each candidate's per-category tallies (already computed).</summary>
    /// <param name="candidates">The configurations, in order of preference on ties.</param>
    /// <param name="tallies">Per candidate, in the same order, its tally per category; every candidate lists the same categories.</param>
    /// <param name="profile">The profile that both selects and scores (<see cref="NabProfile.Standard"/> when null).</param>
    /// <returns>The folds, their mean and worst score, and the configuration chosen on every category.</returns>
    /// <exception cref="ArgumentException">The lists differ, there is no candidate, or fewer than two categories have windows.</exception>
    public static NabCrossValidationResult Select(
        IReadOnlyList<StreamingAnomalyScorerRegistration> candidates,
        IReadOnlyList<IReadOnlyList<NabCategoryResult>> tallies,
        NabProfile? profile = null)
    {
        var scoring = profile ?? NabProfile.Standard;
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(tallies);
        if (candidates.Count == 0 || tallies.Count != candidates.Count)
        {
            throw new ArgumentException($"{candidates.Count} candidates but {tallies.Count} tally lists (need the same, at least one).", nameof(tallies));
        }

        var categories = tallies[0].Select(static c => c.Category).ToArray();
        foreach (var list in tallies)
        {
            if (!list.Select(static c => c.Category).SequenceEqual(categories, StringComparer.Ordinal))
            {
                throw new ArgumentException("every candidate must list the same categories in the same order.", nameof(tallies));
            }
        }

        var folds = Enumerable.Range(0, categories.Length).Where(k => tallies[0][k].Tally.Windows > 0).ToArray();
        var noAnomaly = Enumerable.Range(0, categories.Length).Where(k => tallies[0][k].Tally.Windows == 0).ToArray();
        if (folds.Length < 2)
        {
            throw new ArgumentException($"cross-validation needs at least two categories with windows; found {folds.Length}.", nameof(tallies));
        }

        var results = new List<NabFold>(folds.Length);
        foreach (var heldOut in folds)
        {
            var training = folds.Where(k => k != heldOut).ToArray();
            var chosen = Choose(tallies, training, noAnomaly, scoring);
            var heldOutTally = tallies[chosen][heldOut].Tally;
            results.Add(new NabFold
            {
                HeldOut = categories[heldOut],
                Selected = candidates[chosen].Name,
                InnerMean = MeanScore(tallies[chosen], training, scoring),
                Score = heldOutTally.Normalised(scoring) ?? 0.0,
                WindowsHit = heldOutTally.WindowsHit,
                Windows = heldOutTally.Windows,
                FalsePositiveEvents = heldOutTally.FalsePositiveEvents,
                NoAnomalyFalsePositiveRows = NoAnomalyRows(tallies[chosen], noAnomaly),
            });
        }

        var final = Choose(tallies, folds, noAnomaly, scoring);
        return new NabCrossValidationResult
        {
            Folds = results,
            Configurations = candidates.Count,
            FinalSelection = candidates[final].Name,
            FinalCategoryMean = MeanScore(tallies[final], folds, scoring),
            FinalNoAnomalyFalsePositiveRows = NoAnomalyRows(tallies[final], noAnomaly),
        };
    }

    private static int Choose(IReadOnlyList<IReadOnlyList<NabCategoryResult>> tallies, int[] training, int[] noAnomaly, NabProfile profile)
    {
        var fewestRows = tallies.Min(t => NoAnomalyRows(t, noAnomaly));
        var allowed = Math.Max(fewestRows, MaxNoAnomalyFalsePositiveRows);
        var best = -1;
        var bestScore = double.NegativeInfinity;
        for (var c = 0; c < tallies.Count; c++)
        {
            if (NoAnomalyRows(tallies[c], noAnomaly) > allowed)
            {
                continue;
            }

            var score = MeanScore(tallies[c], training, profile);
            if (score > bestScore)
            {
                bestScore = score;
                best = c;
            }
        }

        return best;
    }

    private static double MeanScore(IReadOnlyList<NabCategoryResult> tallies, int[] categories, NabProfile profile) =>
        categories.Average(k => tallies[k].Tally.Normalised(profile) ?? 0.0);

    private static long NoAnomalyRows(IReadOnlyList<NabCategoryResult> tallies, int[] noAnomaly) =>
        noAnomaly.Sum(k => tallies[k].Tally.FalsePositiveRows);
}
