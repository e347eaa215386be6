using AnalyticsHub.Anomalies;

namespace AnalyticsHub.Evaluation.Nab;

/// <summary>The z-score baseline: how far a point is from the mean of the trailing points, in standard deviations.</summary>
/// <remarks>
/// The mean and the population standard deviation are those of the previous <see cref="WindowSize"/>
/// points, excluding the current one; the score is 1 - exp(-z^2 / 8). Fewer than two previous points
/// score 0. When the trailing points are all equal, a point equal to them scores 0 and any other
/// scores 1. O(1) per point with a ring buffer and running sums (recomputed exactly once per
/// <see cref="WindowSize"/> points so rounding cannot drift); no allocation after construction.
/// A non-finite value scores 0 and is not learned. Like every baseline it reports a score only:
/// <see cref="AnomalyResult.IsAnomaly"/> is always false (the harness applies the registration's threshold)
/// and the expected value and band are the observed value.
/// </remarks>
public sealed class ZScoreAnomalyScorer : IStreamingAnomalyDetector
{
    /// <summary>The default number of trailing points: 576, two days of 5-minute samples.</summary>
    public const int DefaultWindowSize = 576;

    private const double RelativeTolerance = 1e-10;

    private readonly double[] _window;
    private int _count;
    private int _next;
    private int _sinceRecompute;
    private double _shift;
    private double _sum;
    private double _sumOfSquares;
    private long _pointsSeen;

    /// <summary>Creates a z-score scorer.</summary>
    /// <param name="windowSize">The number of trailing points, at least 2.</param>
    public ZScoreAnomalyScorer(int windowSize = DefaultWindowSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowSize, 2);
        _window = new double[windowSize];
    }

    /// <summary>Gets the number of trailing points the statistics cover.</summary>
    public int WindowSize => _window.Length;

    /// <inheritdoc />
    public long PointsSeen => _pointsSeen;

    /// <inheritdoc />
    public int StateSizeBytes => (_window.Length * sizeof(double)) + (3 * sizeof(int)) + (3 * sizeof(double)) + sizeof(long);

    /// <inheritdoc />
    public AnomalyResult Update(DateTimeOffset timestamp, double value)
    {
        if (!double.IsFinite(value))
        {
            return new AnomalyResult(0.0, false, value, value, value, 0.0, AnomalyType.Spike);
        }

        _pointsSeen++;
        var score = 0.0;
        if (_count >= 2)
        {
            // Sums are of deviations from a shift (an early value) so large offsets do not cancel.
            var meanDeviation = _sum / _count;
            var variance = Math.Max(0.0, (_sumOfSquares / _count) - (meanDeviation * meanDeviation));
            var standardDeviation = Math.Sqrt(variance);
            var distance = Math.Abs(value - _shift - meanDeviation);
            var tolerance = RelativeTolerance * (1.0 + Math.Abs(_shift + meanDeviation));
            if (standardDeviation <= tolerance)
            {
                score = distance <= tolerance ? 0.0 : 1.0;
            }
            else
            {
                var z = distance / standardDeviation;
                score = 1.0 - Math.Exp(-z * z / 8.0);
            }
        }

        Add(value);
        return new AnomalyResult(score, false, value, value, value, 0.0, AnomalyType.Spike);
    }

    /// <inheritdoc />
    public void Reset()
    {
        Array.Clear(_window);
        _count = 0;
        _next = 0;
        _sinceRecompute = 0;
        _shift = 0;
        _sum = 0;
        _sumOfSquares = 0;
        _pointsSeen = 0;
    }

    private void Add(double value)
    {
        if (_count == 0)
        {
            _shift = value;
        }

        if (_count == _window.Length)
        {
            var old = _window[_next] - _shift;
            _sum -= old;
            _sumOfSquares -= old * old;
        }
        else
        {
            _count++;
        }

        _window[_next] = value;
        var deviation = value - _shift;
        _sum += deviation;
        _sumOfSquares += deviation * deviation;
        _next = _next + 1 == _window.Length ? 0 : _next + 1;

        if (++_sinceRecompute == _window.Length)
        {
            Recompute();
        }
    }

    private void Recompute()
    {
        _sinceRecompute = 0;
        _shift = _window[_next == 0 ? _window.Length - 1 : _next - 1];
        double sum = 0, sumOfSquares = 0;
        for (var i = 0; i < _count; i++)
        {
            var deviation = _window[i] - _shift;
            sum += deviation;
            sumOfSquares += deviation * deviation;
        }

        _sum = sum;
        _sumOfSquares = sumOfSquares;
    }
}
