namespace AnalyticsHub.Evaluation.Nab;

/// <summary>Scores a streaming detector's per-row scores against NAB labels with NAB's rule.</summary>
/// <remarks>
/// The rule: the first min(floor(0.15 * rows), 750) rows are probation and not scored; row i is a
/// detection iff its score is at least the threshold; only the best (earliest) detection in a window
/// counts, worth tp * sigma(y) / sigma(-1) with y = -(e - i + 1) / w; a detection outside every window
/// is worth -fp before the first window and fp * sigma(|i - e_prev| / (w_prev - 1)) after one; a
/// window without detection costs -fn. sigma(y) = 2 / (1 + e^(5y)) - 1, and -1 for y greater than 3.
/// </remarks>
public static class NabScorer
{
    /// <summary>The largest number of probation rows of a file.</summary>
    public const int MaxProbationRows = 750;

    /// <summary>The fraction of a file's rows that are probation, before the cap of <see cref="MaxProbationRows"/>.</summary>
    public const double ProbationFraction = 0.15;

    private static readonly double SigmaOfMinusOne = ScaledSigmoid(-1.0);

    /// <summary>Computes the number of leading rows of a file that are not scored.</summary>
    /// <param name="rows">The number of rows in the file.</param>
    /// <returns>min(floor(0.15 * rows), 750).</returns>
    public static int ProbationRows(int rows) =>
        Math.Min((int)Math.Floor(ProbationFraction * rows), MaxProbationRows);

    /// <summary>Computes NAB's scaled sigmoid: 2 / (1 + e^(5y)) - 1, and -1 for y greater than 3.</summary>
    /// <param name="y">The relative position.</param>
    /// <returns>A value in [-1, 1].</returns>
    public static double ScaledSigmoid(double y) =>
        y > 3.0 ? -1.0 : (2.0 / (1.0 + Math.Exp(5.0 * y))) - 1.0;

    /// <summary>Computes the unweighted value of a detection at a row inside a window: sigma(y) / sigma(-1) with y = -(e - i + 1) / w.</summary>
    /// <param name="row">The detected row.</param>
    /// <param name="window">The window holding the row.</param>
    /// <returns>1 at the window's first row, falling to about 0 at its last.</returns>
    public static double WindowValue(int row, NabRowRange window)
    {
        var y = -(double)(window.Last - row + 1) / window.Length;
        return ScaledSigmoid(y) / SigmaOfMinusOne;
    }

    /// <summary>Computes the unweighted value of a detection outside every window.</summary>
    /// <param name="row">The detected row.</param>
    /// <param name="previousWindow">The last window that ends before the row, or <see langword="null"/> when none does.</param>
    /// <returns>-1 without a previous window, otherwise sigma(|i - e_prev| / (w_prev - 1)) (a one-row previous window gives -1).</returns>
    public static double FalsePositiveValue(int row, NabRowRange? previousWindow)
    {
        if (previousWindow is not { } previous)
        {
            return -1.0;
        }

        // A one-row window divides by zero: y is +infinity, past 3, so the full penalty applies.
        var y = Math.Abs(row - previous.Last) / (double)(previous.Length - 1);
        return ScaledSigmoid(y);
    }

    /// <summary>Normalises a raw score: 100 * (S - S_null) / (S_perfect - S_null) with S_null = -fn * windows and S_perfect = tp * windows.</summary>
    /// <param name="raw">The raw score S.</param>
    /// <param name="windows">The number of windows.</param>
    /// <param name="profile">The weights.</param>
    /// <returns>The normalised score, or <see langword="null"/> when there is no window.</returns>
    public static double? Normalise(double raw, int windows, NabProfile profile)
    {
        if (windows == 0)
        {
            return null;
        }

        var scoreNull = -profile.FalseNegativeWeight * windows;
        var scorePerfect = profile.TruePositiveWeight * windows;
        return 100.0 * (raw - scoreNull) / (scorePerfect - scoreNull);
    }

    /// <summary>Scores one file's detector output at a threshold.</summary>
    /// <param name="series">The labelled series.</param>
    /// <param name="scores">The detector's score for every row of the series, in row order.</param>
    /// <param name="threshold">Row i is a detection iff <c>scores[i] &gt;= threshold</c> (NaN never is).</param>
    /// <returns>The file's tally.</returns>
    /// <exception cref="ArgumentException">The number of scores differs from the number of rows.</exception>
    public static NabTally ScoreFile(NabSeries series, ReadOnlySpan<double> scores, double threshold)
    {
        ArgumentNullException.ThrowIfNull(series);
        var rows = series.RowCount;
        if (scores.Length != rows)
        {
            throw new ArgumentException($"{series.Key} has {rows} rows but {scores.Length} scores were given.", nameof(scores));
        }

        var windows = series.WindowRows.AsSpan();
        var probation = ProbationRows(rows);
        var next = 0;
        NabRowRange? previous = null;
        var hit = 0;
        double truePositiveSum = 0, falsePositiveSum = 0;
        long falsePositiveRows = 0, falsePositiveEvents = 0;
        var inFalsePositiveRun = false;
        var currentWindowHit = false;

        for (var i = probation; i < rows; i++)
        {
            while (next < windows.Length && windows[next].Last < i)
            {
                previous = windows[next];
                next++;
                currentWindowHit = false;
            }

            var detected = scores[i] >= threshold;
            if (next < windows.Length && windows[next].First <= i)
            {
                inFalsePositiveRun = false;
                if (detected && !currentWindowHit)
                {
                    // Values fall monotonically through a window, so the first detection is the best one.
                    currentWindowHit = true;
                    hit++;
                    truePositiveSum += WindowValue(i, windows[next]);
                }
            }
            else if (detected)
            {
                falsePositiveRows++;
                falsePositiveSum += FalsePositiveValue(i, previous);
                if (!inFalsePositiveRun)
                {
                    falsePositiveEvents++;
                    inFalsePositiveRun = true;
                }
            }
            else
            {
                inFalsePositiveRun = false;
            }
        }

        return new NabTally
        {
            Files = 1,
            Rows = rows,
            ScoredRows = rows - probation,
            Windows = windows.Length,
            WindowsHit = hit,
            TruePositiveSum = truePositiveSum,
            FalsePositiveSum = falsePositiveSum,
            FalsePositiveRows = falsePositiveRows,
            FalsePositiveEvents = falsePositiveEvents,
            NoAnomalyFalsePositiveRows = windows.Length == 0 ? falsePositiveRows : 0,
        };
    }
}
