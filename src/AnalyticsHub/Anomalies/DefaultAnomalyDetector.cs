namespace AnalyticsHub.Anomalies;

/// <summary>
/// The hub's default streaming detector: robust components (level, daily profile, shift, nearest-neighbour
/// shape, and an opt-in activity component), each judged against the largest deviation the series itself has
/// shown lately, with alarm suppression.
/// </summary>
/// <remarks>
/// <para>Every component turns the point into a standardized deviation (never including the point in
/// its own baseline). A component's ratio is that deviation over the larger of
/// <see cref="AnomalyDetectorOptions.MinimumDeviation"/> and the decaying maximum of its past
/// deviations, so only what is unusual for this series scores high; the score is ratio / (1 + ratio)
/// of the highest ratio, and that component names the <see cref="AnomalyType"/>. After an alarm, no new
/// alarm is raised for <see cref="AnomalyDetectorOptions.SuppressionPoints"/> points.</para>
/// <para>State is fixed at construction (a few arrays of the window lengths and one daily profile);
/// an update is O(<see cref="AnomalyDetectorOptions.LongWindow"/>) memmove plus a 128 x 8 nearest-neighbour
/// scan, and allocates nothing. A point time-stamped before the latest one is late: it is counted in
/// <see cref="LatePoints"/>, scores 0 and is not learned, so it never moves a window or the daily profile.
/// Not thread-safe: one instance per series, one writer.</para>
/// </remarks>
public sealed class DefaultAnomalyDetector : IStreamingAnomalyDetector
{
    private const double DeviationCap = 1e6;
    private const int ComponentCount = 5;
    private const int LevelIndex = 0;
    private const int SeasonalIndex = 1;
    private const int ShiftIndex = 2;
    private const int ActivityIndex = 3;
    private const int NeighboursIndex = 4;
    // The neighbours component compares the shape of the last PatternLength points with the PatternHistory
    // shapes before them and averages the distance to the NeighbourCount nearest. Fixed, not options: the
    // cross-validated NAB score moved by less than 1 point over 8-16 points and 64-128 shapes (docs/anomalies.md).
    private const int PatternLength = 8;
    private const int PatternHistory = 128;
    private const int NeighbourCount = 3;

    private readonly AnomalyDetectorOptions _options;
    private readonly bool _level;
    private readonly bool _seasonal;
    private readonly bool _shift;
    private readonly bool _activity;
    private readonly bool _neighbours;
    private readonly double _decay;
    private readonly double _ratioAtThreshold;
    private readonly double _sqrtShort;
    private readonly RollingQuantileWindow _values;
    private readonly RollingQuantileWindow _residuals;
    private readonly RollingQuantileWindow _activities;
    private readonly RollingQuantileWindow _patterns;
    private readonly double[] _lags;
    private readonly double[] _nearest = new double[NeighbourCount];
    private readonly double[] _recent;
    private readonly double[] _recentSteps;
    private readonly double[] _recentResiduals;
    private readonly double[] _profile;
    private readonly int[] _profileCount;
    private readonly double[] _history = new double[ComponentCount];
    // The self-calibration without the points of the current anomaly episode (MarkLatestInEpisode), and its value
    // before the latest point: what _history becomes when a real episode ends (EndEpisode).
    private readonly double[] _calm = new double[ComponentCount];
    private readonly double[] _calmBefore = new double[ComponentCount];
    private readonly double[] _deviation = new double[ComponentCount];
    private readonly double[] _reference = new double[ComponentCount];

    private long _pointsSeen;
    private long _latePoints;
    private long _firstTicks;
    private long _lastTicks;
    private int _lagNext;
    private int _recentNext;
    private double _recentSum;
    private double _recentStepSum;
    private double _recentResidualSum;
    private int _residualRun;
    private double _previous;
    private int _suppressRemaining;
    private bool _latestCalibrated;

    /// <summary>Creates a detector for one series.</summary>
    /// <param name="options">The options, or <see langword="null"/> for <see cref="AnomalyDetectorOptions.Default"/>.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public DefaultAnomalyDetector(AnomalyDetectorOptions? options = null)
    {
        _options = options ?? AnomalyDetectorOptions.Default;
        _options.EnsureValid();
        _level = (_options.Components & AnomalyDetectorComponents.Level) != 0;
        _seasonal = (_options.Components & AnomalyDetectorComponents.Seasonal) != 0;
        _shift = (_options.Components & AnomalyDetectorComponents.Shift) != 0;
        _activity = (_options.Components & AnomalyDetectorComponents.Activity) != 0;
        _neighbours = (_options.Components & AnomalyDetectorComponents.Neighbours) != 0;
        _decay = Math.Pow(0.5, 1.0 / _options.HistoryHalfLife);
        _ratioAtThreshold = _options.Threshold >= 1 ? double.PositiveInfinity : _options.Threshold / (1 - _options.Threshold);
        _sqrtShort = Math.Sqrt(_options.ShortWindow);
        _values = new RollingQuantileWindow(_options.LongWindow);
        _residuals = new RollingQuantileWindow(_seasonal ? _options.LongWindow : 1);
        _activities = new RollingQuantileWindow(_activity ? _options.LongWindow : 1);
        _patterns = new RollingQuantileWindow(_neighbours ? _options.LongWindow : 1);
        _lags = new double[_neighbours ? 2 * (PatternHistory + (2 * PatternLength)) : 0];
        _recent = new double[_options.ShortWindow];
        _recentSteps = new double[_options.ShortWindow];
        _recentResiduals = new double[_seasonal && _shift ? _options.ShortWindow : 0];
        var buckets = _seasonal ? 86_400 / _options.SeasonalBucketSeconds : 0;
        _profile = new double[buckets];
        _profileCount = new int[buckets];
        Reset();
    }

    /// <summary>Gets the options this detector runs with.</summary>
    public AnomalyDetectorOptions Options => _options;

    /// <inheritdoc />
    public long PointsSeen => _pointsSeen;

    /// <summary>Gets the number of late points: points time-stamped before the latest one seen, which are neither scored nor learned.</summary>
    public long LatePoints => _latePoints;

    /// <inheritdoc />
    public int StateSizeBytes =>
        _values.StateSizeBytes + _residuals.StateSizeBytes + _activities.StateSizeBytes + _patterns.StateSizeBytes
        + ((_recent.Length + _recentSteps.Length + _recentResiduals.Length + _profile.Length + _history.Length + _calm.Length + _calmBefore.Length + _deviation.Length + _reference.Length + _lags.Length + _nearest.Length) * sizeof(double))
        + (_profileCount.Length * sizeof(int))
        + 132;

    /// <inheritdoc />
    public void Reset()
    {
        _values.Clear();
        _residuals.Clear();
        _activities.Clear();
        _patterns.Clear();
        Array.Clear(_lags);
        Array.Clear(_recent);
        Array.Clear(_recentSteps);
        Array.Clear(_recentResiduals);
        Array.Clear(_profile);
        Array.Clear(_profileCount);
        Array.Clear(_history);
        Array.Clear(_calm);
        Array.Clear(_calmBefore);
        Array.Clear(_deviation);
        Array.Clear(_reference);
        _pointsSeen = 0;
        _latePoints = 0;
        _firstTicks = 0;
        _lastTicks = 0;
        _lagNext = 0;
        _recentNext = 0;
        _recentSum = 0;
        _recentStepSum = 0;
        _recentResidualSum = 0;
        _residualRun = 0;
        _previous = 0;
        _suppressRemaining = 0;
        _latestCalibrated = false;
    }

    /// <inheritdoc />
    public AnomalyResult Update(DateTimeOffset timestamp, double value)
    {
        _latestCalibrated = false;
        if (!double.IsFinite(value))
        {
            var usual = _values.Count > 0 ? _values.Quantile(0.5) : 0.0;
            return new AnomalyResult(0.0, false, usual, usual, usual, 0.0, AnomalyType.Spike);
        }

        var ticks = timestamp.UtcTicks;
        if (_pointsSeen > 0 && ticks < _lastTicks)
        {
            // Event time rules: a point older than the latest one would put a stale value into every window
            // and the daily profile, so it is counted and left out.
            _latePoints++;
            var usual = _values.Count > 0 ? _values.Quantile(0.5) : value;
            return new AnomalyResult(0.0, false, usual, usual, usual, value - usual, AnomalyType.Spike);
        }

        _lastTicks = ticks;
        if (_pointsSeen == 0)
        {
            _firstTicks = ticks;
            _previous = value;
        }

        // Short-window running sums include the current point; the long windows do not yet.
        var step = Math.Abs(value - _previous);
        _recentSum += value - _recent[_recentNext];
        _recentStepSum += step - _recentSteps[_recentNext];
        _recent[_recentNext] = value;
        _recentSteps[_recentNext] = step;
        _recentNext = _recentNext + 1 == _recent.Length ? 0 : _recentNext + 1;
        _previous = value;
        var shortCount = (int)Math.Min(_pointsSeen + 1, _recent.Length);
        var shortMean = _recentSum / shortCount;
        var shortActivity = _recentStepSum / shortCount;

        var warm = _pointsSeen >= _options.WarmUpPoints;
        var median = _values.Count > 0 ? _values.Quantile(0.5) : value;
        var scale = _values.RobustScale();
        var tiny = 1e-9 * (1.0 + Math.Abs(median));
        Array.Clear(_deviation);

        if (_level)
        {
            _deviation[LevelIndex] = Standardize(value - median, scale, tiny);
        }

        var bucket = -1;
        var seasonalExpected = median;
        var seasonalScale = scale;
        var seasonalShift = false;
        if (_seasonal)
        {
            bucket = (int)((ticks % TimeSpan.TicksPerDay + TimeSpan.TicksPerDay) % TimeSpan.TicksPerDay / (_options.SeasonalBucketSeconds * TimeSpan.TicksPerSecond));
            if (_profileCount[bucket] > 0 && ticks - _firstTicks >= TimeSpan.TicksPerDay)
            {
                seasonalExpected = _profile[bucket];
                var residual = value - seasonalExpected;
                if (_residuals.Count >= _options.WarmUpPoints)
                {
                    seasonalScale = _residuals.RobustScale();
                    _deviation[SeasonalIndex] = Standardize(residual, seasonalScale, tiny);
                }

                seasonalShift = _shift && ShiftFromProfile(residual, seasonalScale, tiny);
                _residuals.Add(residual);
            }
            else
            {
                // A point without a profile value breaks the run: the shift waits for a full short window of residuals.
                _residualRun = 0;
                _recentResidualSum = 0;
            }
        }

        if (_shift && !seasonalShift)
        {
            _deviation[ShiftIndex] = Standardize(shortMean - median, scale, tiny) * _sqrtShort;
        }

        if (_activity && _activities.Count >= _options.WarmUpPoints)
        {
            var usual = _activities.Quantile(0.5);
            var floor = (0.01 * scale) + tiny;
            _deviation[ActivityIndex] = Math.Min(DeviationCap, _options.ActivityGain * Math.Abs(Math.Log((shortActivity + floor) / (usual + floor))));
        }

        if (_neighbours)
        {
            var distance = NearestDistance(value);
            if (distance >= 0)
            {
                if (_patterns.Count >= _options.WarmUpPoints)
                {
                    var usual = _patterns.Quantile(0.5);
                    var spread = _patterns.RobustScale();
                    var excess = distance - usual;
                    _deviation[NeighboursIndex] = excess > 0 ? Standardize(excess, spread, 1e-9 * (1.0 + usual)) : 0.0;
                }

                _patterns.Add(distance);
            }
        }

        var best = -1;
        var bestRatio = 0.0;
        if (warm)
        {
            for (var k = 0; k < ComponentCount; k++)
            {
                var reference = Math.Max(_history[k], _options.MinimumDeviation);
                _reference[k] = reference;
                var ratio = _deviation[k] / reference;
                if (ratio > bestRatio)
                {
                    bestRatio = ratio;
                    best = k;
                }

                _history[k] = Math.Max(_history[k] * _decay, _deviation[k]);
                _calmBefore[k] = _calm[k];
                _calm[k] = Math.Max(_calm[k] * _decay, _deviation[k]);
            }

            _latestCalibrated = true;
        }

        var score = bestRatio / (1.0 + bestRatio);
        var isAnomaly = warm && score >= _options.Threshold;
        if (_suppressRemaining > 0)
        {
            _suppressRemaining--;
            if (isAnomaly)
            {
                isAnomaly = false;
                score = Math.Min(score, _options.Threshold * 0.5);
            }
        }
        else if (isAnomaly)
        {
            _suppressRemaining = _options.SuppressionPoints;
        }

        // Learn only after scoring, so the point is never part of its own baseline.
        _values.Add(value);
        if (_activity && _pointsSeen >= _recent.Length)
        {
            _activities.Add(shortActivity);
        }

        if (bucket >= 0)
        {
            _profile[bucket] = _profileCount[bucket] == 0
                ? value
                : _profile[bucket] + (_options.SeasonalLearningRate * (value - _profile[bucket]));
            _profileCount[bucket] = Math.Min(_profileCount[bucket] + 1, int.MaxValue - 1);
        }

        _pointsSeen++;
        return Describe(Named(best), score, isAnomaly, value, median, scale, seasonalExpected, seasonalScale, seasonalShift);
    }

    /// <summary>
    /// Marks the latest point as part of an anomaly episode: its deviations stay in the self-calibration while the
    /// episode lasts, and leave it when <see cref="EndEpisode"/> says the episode was real.
    /// </summary>
    internal void MarkLatestInEpisode()
    {
        if (!_latestCalibrated)
        {
            return;
        }

        for (var k = 0; k < ComponentCount; k++)
        {
            _calm[k] = _calmBefore[k] * _decay;
        }
    }

    /// <summary>
    /// An episode has ended: when it was real (<paramref name="forgetItsPoints"/>), the self-calibration forgets the deviations
    /// of its marked points, so the same fault on this series later is as unusual as the first time; else (a blip) they
    /// stay, as for any point.
    /// </summary>
    internal void EndEpisode(bool forgetItsPoints)
    {
        if (forgetItsPoints)
        {
            Array.Copy(_calm, _history, ComponentCount);
        }
        else
        {
            Array.Copy(_history, _calm, ComponentCount);
        }
    }

    /// <summary>
    /// The component that names the point: the neighbours component says that the recent shape is unusual, not how,
    /// so when it scores highest the strongest other component names the point if it is at least half-way to an alarm.
    /// </summary>
    private int Named(int best)
    {
        if (best != NeighboursIndex)
        {
            return best;
        }

        var named = NeighboursIndex;
        var namedRatio = 0.5;
        for (var k = 0; k < ComponentCount; k++)
        {
            if (k != NeighboursIndex && _reference[k] > 0 && _deviation[k] / _reference[k] >= namedRatio)
            {
                namedRatio = _deviation[k] / _reference[k];
                named = k;
            }
        }

        return named;
    }

    private AnomalyResult Describe(int best, double score, bool isAnomaly, double value, double median, double scale, double seasonalExpected, double seasonalScale, bool seasonalShift)
    {
        var fromProfile = best == SeasonalIndex || (best == ShiftIndex && seasonalShift);
        var expected = fromProfile ? seasonalExpected : median;
        var spread = fromProfile ? seasonalScale : scale;
        var component = best < 0 ? LevelIndex : best;

        // A shape distance has no unit of the series: the band of a pattern the neighbours name is the level's.
        var bandComponent = component == NeighboursIndex ? LevelIndex : component;
        var reference = _reference[bandComponent] > 0 ? _reference[bandComponent] : _options.MinimumDeviation;
        var halfWidth = spread * reference * Math.Min(_ratioAtThreshold, DeviationCap);
        if (component == ShiftIndex)
        {
            halfWidth /= _sqrtShort;
        }

        var deviation = value - expected;
        var type = best switch
        {
            SeasonalIndex => AnomalyType.PatternDeviation,
            ShiftIndex => AnomalyType.DistributionShift,
            ActivityIndex => AnomalyType.FrequencyAnomaly,
            NeighboursIndex => AnomalyType.PatternDeviation,
            _ => deviation < 0 ? AnomalyType.Drop : AnomalyType.Spike,
        };
        return new AnomalyResult(score, isAnomaly, expected, expected - halfWidth, expected + halfWidth, deviation, type);
    }

    /// <summary>
    /// Puts the point's residual from the daily profile into the short ring and, once the last
    /// <see cref="AnomalyDetectorOptions.ShortWindow"/> points all had one and the residual spread is known, sets the
    /// shift's deviation from their mean against the usual residual: the day's own rhythm (a daily ramp of volume) is
    /// then no shift, while a level that leaves the profile is.
    /// </summary>
    /// <returns>Whether the shift was judged against the daily profile (else the caller judges it against the level).</returns>
    private bool ShiftFromProfile(double residual, double residualScale, double tiny)
    {
        var at = _residualRun % _recentResiduals.Length;
        _recentResidualSum += residual - (_residualRun >= _recentResiduals.Length ? _recentResiduals[at] : 0.0);
        _recentResiduals[at] = residual;
        _residualRun = _residualRun + 1 == int.MaxValue ? _recentResiduals.Length : _residualRun + 1;
        if (_residualRun < _recentResiduals.Length || _residuals.Count < _options.WarmUpPoints)
        {
            return false;
        }

        var meanResidual = _recentResidualSum / _recentResiduals.Length;
        _deviation[ShiftIndex] = Standardize(meanResidual - _residuals.Quantile(0.5), residualScale, tiny) * _sqrtShort;
        return true;
    }

    /// <summary>
    /// Puts the point into the lag ring and returns the mean distance from the shape of the last
    /// <see cref="PatternLength"/> points to its nearest earlier shapes that do not
    /// overlap it, or -1 while there are too few.
    /// </summary>
    private double NearestDistance(double value)
    {
        // The ring is stored twice over, so the latest `size` values are always one contiguous span.
        const int size = PatternHistory + (2 * PatternLength);
        var at = _lagNext;
        _lags[at] = value;
        _lags[at + size] = value;
        _lagNext = at + 1 == size ? 0 : at + 1;
        var latest = new ReadOnlySpan<double>(_lags, at + 1, size);
        var available = (int)Math.Min(_pointsSeen + 1, size);
        var candidates = available - (2 * PatternLength) + 1;
        if (candidates < NeighbourCount)
        {
            return -1;
        }

        var current = latest.Slice(size - PatternLength, PatternLength);
        var nearest = _nearest;
        nearest.AsSpan().Fill(double.PositiveInfinity);
        var worst = double.PositiveInfinity;
        for (var d = 0; d < candidates; d++)
        {
            // The candidate shape ends PatternLength + d points before the current one, so they never overlap.
            var candidate = latest.Slice(size - (2 * PatternLength) - d, PatternLength);
            var sum = 0.0;
            for (var j = 0; j < PatternLength; j++)
            {
                var difference = current[j] - candidate[j];
                sum += difference * difference;
            }

            if (sum < worst)
            {
                var k = NeighbourCount - 1;
                while (k > 0 && nearest[k - 1] > sum)
                {
                    nearest[k] = nearest[k - 1];
                    k--;
                }

                nearest[k] = sum;
                worst = nearest[NeighbourCount - 1];
            }
        }

        var total = 0.0;
        for (var k = 0; k < NeighbourCount; k++)
        {
            total += Math.Sqrt(nearest[k]);
        }

        return total / NeighbourCount;
    }

    private static double Standardize(double difference, double scale, double tiny)
    {
        var magnitude = Math.Abs(difference);
        if (magnitude <= tiny)
        {
            return 0.0;
        }

        return scale <= tiny ? DeviationCap : Math.Min(DeviationCap, magnitude / scale);
    }
}
