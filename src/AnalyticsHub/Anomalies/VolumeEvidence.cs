using AnalyticsHub.Statistics;

namespace AnalyticsHub.Anomalies;

/// <summary>
/// How strongly one closed window's statistic departs from the detector's expected value, in units of that statistic's
/// sampling error at the window's volume: a mean of 4 values is less sure than a mean of 64, a count of 3 where 1 was
/// expected is Poisson noise, a count of 300 where 100 was expected is not.
/// </summary>
/// <remarks>
/// <para>The evidence is Bernstein's bound written as a z-score: a total departure <c>t</c> of a sum of independent
/// values with variance <c>V</c> and single values at most <c>M</c> from their mean has a tail probability at most
/// exp(−z²/2) with z = t / √(V + M·t/3). For many values it is the usual z = t / √V; for a few skewed ones (one error
/// in four requests) the M·t/3 term keeps a single value from looking certain, where the normal approximation would
/// call it 3.3 standard errors. The spread of single values (mean, mean square, largest deviation and largest size)
/// is pooled over the series' recent normal windows (decayed with a half-life of a day of windows; the tracker does not
/// feed it windows of an episode) and learned only after the window is scored, so a window never vouches for itself.</para>
/// <list type="bullet">
/// <item><c>mean</c>: t = n·|x̄ − expected|, V = n·σ², M the largest single deviation seen; n the window's count. Once
/// the series has <see cref="MinimumSteps"/> steps between consecutive normal windows, the larger of that and a second
/// z-score from the mean's own steps: t = |x̄ − expected|, V = s²/n with s² the single-value noise the steps imply (a
/// step between windows of a and b values drawn alike has variance s²·(1/a + 1/b)), M the largest step seen. For
/// values drawn alike the two agree; for a window that averages the same few sources every minute (a model's throughput
/// or error rate over its regions' aggregates) the first counts the fixed differences between the sources as noise,
/// the second does not. A mean of rates per second over windows of w seconds (<c>rateWindowSeconds</c>, a throughput
/// of requests a second over the minute) is judged instead as the count of events its values imply, a Poisson count:
/// t = w·n·|x̄ − expected|, V = w·n·max(expected, 1 / w), M = 1 event.</item>
/// <item><c>count</c>: a Poisson count, t = |n − expected|, V = max(expected, 1), M = 1.</item>
/// <item><c>sum</c>: a compound Poisson sum, t = |S − expected|, V = λ·E[x²] with λ = max(expected / mean value, 1)
/// values expected, M the largest single value seen (and, while its volume moves slowly, see below, at most the
/// departure from the sum its own count of values explains).</item>
/// <item><c>max</c> and <c>p95</c>: |x − expected| / σ, a single value's error (the count does not shrink it).</item>
/// </list>
/// <para>Until the series has pooled <see cref="MinimumValues"/> values, a departing mean, sum, max or p95 has no known
/// error and counts as evidence (the detector's own warm-up keeps those early windows from alarming).</para>
/// <para><b>A slow move of all traffic</b> (<c>count</c>, when the stage tells it the rest of the metric's traffic,
/// <see cref="ObserveRestOfTraffic"/>): a request count that merely follows a slow move of the traffic of its metric (a
/// daily ramp of volume that every model's requests follow) is no anomaly unless its share of that traffic moves. The
/// series keeps its usual share q of the rest of the metric's traffic (the counts of every other series of the metric in
/// the same minute): the ratio of their sums over its normal windows, decayed with a half-life of an hour of windows.
/// Once <see cref="MinimumShareWindows"/> windows were pooled, and while the rest of traffic moves slowly (its level over
/// the last few minutes, an average with a half-life of <see cref="FastTrafficHalfLife"/> windows, within a factor
/// <see cref="SteadyTrafficRatio"/> of its level over the last half hour, half-life <see cref="SlowTrafficHalfLife"/>),
/// the evidence is also judged against the count the series would have had had it kept that share, q × the rest, with
/// the variance grown by (1 + q) for the rest's own noise, and the smaller of the two z-scores counts. A daily ramp moves
/// the rest by well under that factor; a step of all traffic (a surge that raises every model within minutes) does not
/// move slowly, and its request counts are judged against the detector's expected value alone, as a count alone on its
/// metric always is. Sums, means, maxima and p95s ignore the rest.</para>
/// <para><b>A sum that follows a slow move of its own volume</b> (<c>sum</c>, told each window with
/// <see cref="ObserveVolume"/>): a token or cost sum is its count of values times their size, so a sum that rises with its
/// count, each value of the usual size, carries no evidence of its own: the volume is the traffic, which the request
/// counts watch. While the series' count of values moves slowly (its recent level, half-life
/// <see cref="OwnVolumeHalfLife"/> windows, within <see cref="SteadyTrafficRatio"/> of its level over the last half hour,
/// half-life <see cref="SlowTrafficHalfLife"/>), the sum is also judged against the sum its own count explains, n values
/// of the usual size (t = |S − n·μ|, V = n·σ², M the largest single deviation), and the smaller z-score counts. Larger
/// values (longer completions) are judged as before, and so is a step of volume (a surge, a leaked key) once its recent
/// level leaves the factor, within a few minutes. Not thread-safe.</para>
/// </remarks>
internal sealed class VolumeEvidence
{
    /// <summary>The values pooled before the spread of single values is trusted.</summary>
    public const int MinimumValues = 32;

    /// <summary>The normal windows with a known rest of traffic pooled before the share of traffic is trusted.</summary>
    public const int MinimumShareWindows = 30;

    /// <summary>The half-life, in windows, of the rest of traffic's recent level.</summary>
    public const double FastTrafficHalfLife = 3;

    /// <summary>The half-life, in windows, of the rest of traffic's level it is compared with.</summary>
    public const double SlowTrafficHalfLife = 30;

    /// <summary>The largest factor between the rest of traffic's recent and longer levels for which the traffic moves slowly.</summary>
    public const double SteadyTrafficRatio = 1.2;

    /// <summary>
    /// The half-life, in windows, of a <c>sum</c> series' own volume's recent level (longer than the rest of traffic's:
    /// some sources report in bursts, e.g. cost events every other minute).
    /// </summary>
    public const double OwnVolumeHalfLife = 6;

    private const double HalfLifeWindows = 1_440;
    private const double ShareHalfLifeWindows = 60;
    private static readonly double Decay = Math.Pow(0.5, 1.0 / HalfLifeWindows);
    private static readonly double ShareDecay = Math.Pow(0.5, 1.0 / ShareHalfLifeWindows);
    private static readonly double FastTrafficRate = 1 - Math.Pow(0.5, 1.0 / FastTrafficHalfLife);
    private static readonly double OwnVolumeRate = 1 - Math.Pow(0.5, 1.0 / OwnVolumeHalfLife);
    private static readonly double SlowTrafficRate = 1 - Math.Pow(0.5, 1.0 / SlowTrafficHalfLife);

    private readonly AnomalyStatistic _statistic;
    private readonly double _rateWindowSeconds;
    private double _weight;
    private double _sum;
    private double _sumOfSquares;
    private double _largestDeviation;
    private double _largestSize;
    private double _stepWeight;
    private double _stepSquares;
    private double _largestStep;
    private double _previousMean;
    private ulong _previousCount;
    private double _restOfTraffic = double.NaN;
    private double _fastTraffic = double.NaN;
    private double _slowTraffic = double.NaN;
    private double _shareWindows;
    private double _shareOwn;
    private double _shareRest;
    private double _fastVolume = double.NaN;
    private double _slowVolume = double.NaN;

    /// <summary>The evidence of a series of <paramref name="statistic"/>; a <c>mean</c> of rates per second over windows of <paramref name="rateWindowSeconds"/> (above 0) is judged as the count of events they imply.</summary>
    public VolumeEvidence(AnomalyStatistic statistic, double rateWindowSeconds = 0)
    {
        _statistic = statistic;
        _rateWindowSeconds = rateWindowSeconds;
    }

    /// <summary>
    /// The departure of <paramref name="value"/> (the window's statistic) from <paramref name="expected"/> in sampling
    /// errors: 0 for no departure, <see cref="double.PositiveInfinity"/> when the departure is certain (a spread of 0) or
    /// the error is not known yet. For a <c>count</c> whose share of a slowly moving traffic is known, the smaller of that
    /// and its departure from its usual share of the rest of traffic; for a <c>sum</c> whose own volume moves slowly, the
    /// smaller of that and its departure from the sum its count of values explains.
    /// </summary>
    public double ZScore(double value, double expected, in StreamingStats window)
    {
        var z = ZScore(value, expected, window, 1.0);
        if (z == 0)
        {
            return z;
        }

        var (share, followed) = ShareOfSlowTraffic();
        if (!double.IsNaN(followed))
        {
            z = Math.Min(z, ZScore(value, followed, window, 1.0 + share));
        }

        var explained = SumOfOwnSlowVolume(window);
        return double.IsNaN(explained) ? z : Math.Min(z, SumZScore(value, explained, window));
    }

    /// <summary>
    /// Tells a <c>count</c> series the rest of its metric's traffic in the window it scores next (the counts of every
    /// other series of the metric in the same minute) and updates that traffic's recent and longer levels; other
    /// statistics ignore it. Cleared with <see cref="ForgetRestOfTraffic"/> once the window was scored, so a minute the
    /// stage knows no traffic for (one filled with 0) is judged without it.
    /// </summary>
    public void ObserveRestOfTraffic(double rest)
    {
        if (_statistic != AnomalyStatistic.Count || !double.IsFinite(rest) || rest < 0)
        {
            return;
        }

        _restOfTraffic = rest;
        _fastTraffic = double.IsNaN(_fastTraffic) ? rest : _fastTraffic + (FastTrafficRate * (rest - _fastTraffic));
        _slowTraffic = double.IsNaN(_slowTraffic) ? rest : _slowTraffic + (SlowTrafficRate * (rest - _slowTraffic));
    }

    /// <summary>
    /// Tells a <c>sum</c> series the window it scores next (every scored window, an episode's too) and updates the
    /// recent and longer levels of its count of values, its own volume; other statistics ignore it.
    /// </summary>
    public void ObserveVolume(in StreamingStats window)
    {
        if (_statistic != AnomalyStatistic.Sum)
        {
            return;
        }

        double count = window.Count;
        _fastVolume = double.IsNaN(_fastVolume) ? count : _fastVolume + (OwnVolumeRate * (count - _fastVolume));
        _slowVolume = double.IsNaN(_slowVolume) ? count : _slowVolume + (SlowTrafficRate * (count - _slowVolume));
    }

    /// <summary>
    /// The sum a <c>sum</c> window would have with its own count of values at the usual size of a value (the pooled mean
    /// of single values): what its volume alone explains. NaN unless the spread of single values is known, the window
    /// holds values and that volume moves slowly (its recent level, half-life <see cref="OwnVolumeHalfLife"/> windows,
    /// within <see cref="SteadyTrafficRatio"/> of its level over the last half hour, half-life
    /// <see cref="SlowTrafficHalfLife"/>).
    /// </summary>
    private double SumOfOwnSlowVolume(in StreamingStats window)
    {
        if (_statistic != AnomalyStatistic.Sum || _weight < MinimumValues || window.Count == 0
            || !(_fastVolume > 0 && _slowVolume > 0)
            || Math.Max(_fastVolume / _slowVolume, _slowVolume / _fastVolume) > SteadyTrafficRatio)
        {
            return double.NaN;
        }

        return window.Count * (_sum / _weight);
    }

    /// <summary>A sum's departure from the sum its own count of values explains: n values of the usual spread, t = |S − n·μ|, V = n·σ².</summary>
    private double SumZScore(double value, double explained, in StreamingStats window)
    {
        var mean = _sum / _weight;
        var variance = Math.Max((_sumOfSquares / _weight) - (mean * mean), 0.0);
        return Bernstein(Math.Abs(value - explained), window.Count * variance, _largestDeviation);
    }

    /// <summary>Forgets the rest of traffic of the window just scored (its levels stay).</summary>
    public void ForgetRestOfTraffic() => _restOfTraffic = double.NaN;

    /// <summary>Whether the rest of traffic moves slowly: its recent level within <see cref="SteadyTrafficRatio"/> of its longer one.</summary>
    private bool TrafficMovesSlowly =>
        _fastTraffic > 0 && _slowTraffic > 0
        && Math.Max(_fastTraffic / _slowTraffic, _slowTraffic / _fastTraffic) <= SteadyTrafficRatio;

    /// <summary>
    /// The usual share q of the rest of traffic and the count the series would have with it now; NaN when either is
    /// unknown or the traffic does not move slowly.
    /// </summary>
    private (double Share, double Followed) ShareOfSlowTraffic()
    {
        if (_statistic != AnomalyStatistic.Count || double.IsNaN(_restOfTraffic) || _shareWindows < MinimumShareWindows
            || _shareRest <= 0 || !TrafficMovesSlowly)
        {
            return (double.NaN, double.NaN);
        }

        var share = _shareOwn / _shareRest;
        return (share, share * _restOfTraffic);
    }

    private double ZScore(double value, double expected, in StreamingStats window, double varianceFactor)
    {
        var departure = Math.Abs(value - expected);
        if (!double.IsFinite(departure) || departure == 0)
        {
            return 0.0;
        }

        if (_statistic == AnomalyStatistic.Count)
        {
            return Bernstein(departure, varianceFactor * Math.Max(expected, 1.0), 1.0);
        }

        if (_weight < MinimumValues)
        {
            return double.PositiveInfinity;
        }

        var mean = _sum / _weight;
        var meanSquare = _sumOfSquares / _weight;
        var variance = Math.Max(meanSquare - (mean * mean), 0.0);
        switch (_statistic)
        {
            case AnomalyStatistic.Mean:
                var n = (double)window.Count;
                if (n == 0)
                {
                    return 0.0;
                }

                if (_rateWindowSeconds > 0)
                {
                    return RateZScore(departure, expected, window.Count);
                }

                var perValue = Bernstein(n * departure, n * variance, _largestDeviation);
                return _stepWeight >= MinimumSteps && _largestStep > 0
                    ? Math.Max(perValue, Bernstein(departure, _stepSquares / _stepWeight / n, _largestStep))
                    : perValue;
            case AnomalyStatistic.Sum:
                var values = Math.Max(mean != 0 ? Math.Abs(expected / mean) : 1.0, 1.0);
                return Bernstein(departure, values * meanSquare, _largestSize);
            default:
                return Bernstein(departure, variance, 0.0);
        }
    }

    /// <summary>
    /// A mean of n rates per second, each over a window of <c>RateWindowSeconds</c>, judged as the count of events the
    /// rates imply: a Poisson count, t = n·w·|x̄ − expected|, V = n·w·max(expected, 1 / w) (at least one event expected
    /// per value), M = 1 event.
    /// </summary>
    private double RateZScore(double departure, double expected, ulong values)
    {
        var valueSeconds = values * _rateWindowSeconds;
        return Bernstein(valueSeconds * departure, valueSeconds * Math.Max(expected, 1.0 / _rateWindowSeconds), 1.0);
    }

    /// <summary>Bernstein's bound as a z-score: t / √(V + M·t/3); infinite when the departure is certain (no spread at all).</summary>
    private static double Bernstein(double total, double variance, double largest)
    {
        var spread = variance + (largest * total / 3);
        return spread > 0 ? total / Math.Sqrt(spread) : double.PositiveInfinity;
    }

    /// <summary>The steps between consecutive normal windows pooled before a mean's noise is also judged from them.</summary>
    public const int MinimumSteps = 32;

    /// <summary>Breaks the chain of consecutive normal windows (a window of an episode, not learned): the next step is not taken across it.</summary>
    public void Interrupt() => _previousCount = 0;

    /// <summary>
    /// Pools the window's values into the spread of single values and, for a <c>count</c> told the rest of traffic, the
    /// window's count and that rest into the series' usual share (after the window was scored; only a normal window).
    /// </summary>
    public void Learn(in StreamingStats window)
    {
        LearnShare(window);
        _weight *= Decay;
        _sum *= Decay;
        _sumOfSquares *= Decay;
        _largestDeviation *= Decay;
        _largestSize *= Decay;
        _stepWeight *= Decay;
        _stepSquares *= Decay;
        _largestStep *= Decay;
        if (window.Count == 0)
        {
            _previousCount = 0;
            return;
        }

        var mean = window.Mean;
        if (_previousCount > 0 && double.IsFinite(mean) && double.IsFinite(_previousMean))
        {
            // A step between two windows of a and b values drawn alike has variance σ²·(1/a + 1/b).
            var step = mean - _previousMean;
            _stepSquares += step * step / ((1.0 / window.Count) + (1.0 / _previousCount));
            _stepWeight++;
            _largestStep = Math.Max(_largestStep, Math.Abs(step));
        }

        _previousMean = mean;
        _previousCount = window.Count;
        var sumOfSquares = window.SumOfSquaredDeviations + (window.Count * mean * mean);
        if (!double.IsFinite(window.Sum) || !double.IsFinite(sumOfSquares))
        {
            return;
        }

        _weight += window.Count;
        _sum += window.Sum;
        _sumOfSquares += sumOfSquares;
        var pooledMean = _sum / _weight;
        _largestDeviation = Math.Max(_largestDeviation, Math.Max(window.Max - pooledMean, pooledMean - window.Min));
        _largestSize = Math.Max(_largestSize, Math.Max(Math.Abs(window.Max), Math.Abs(window.Min)));
    }

    private void LearnShare(in StreamingStats window)
    {
        if (_statistic != AnomalyStatistic.Count || double.IsNaN(_restOfTraffic))
        {
            return;
        }

        _shareWindows = (_shareWindows * ShareDecay) + 1;
        _shareOwn = (_shareOwn * ShareDecay) + window.Count;
        _shareRest = (_shareRest * ShareDecay) + _restOfTraffic;
    }
}
