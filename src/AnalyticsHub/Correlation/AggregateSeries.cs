namespace AnalyticsHub.Correlation;

/// <summary>
/// One window-aggregate series (measurement, model, region): a baseline per value (exponentially weighted mean and
/// variance, updated with the value clipped to three deviations so an incident does not drag it along) and the latest
/// aggregates with their deviations, to fill an incident in from its onset when the series is found to have moved.
/// It also follows how much each value's successive deviations go together (their lag-one autocorrelation), so that a
/// sum of deviations is judged against the spread it has on this series (<see cref="Inflation"/>).
/// </summary>
internal sealed class AggregateSeries
{
    /// <summary>The aggregates kept for back-filling (an hour and a half of one-minute windows).</summary>
    public const int RingSize = 96;

    private const double Alpha = 0.05;
    private const int WarmUp = 20;

    /// <summary>
    /// The weight of the newest deviation in the autocorrelation's running moments: a memory of some fifty windows, longer
    /// than the baseline's (twenty), so the correlation is the series' habit rather than the last few minutes'.
    /// </summary>
    private const double CorrelationAlpha = 0.02;

    /// <summary>
    /// The highest autocorrelation read (its inflation then 19): the AR(1) formula's factor grows without bound as the
    /// correlation nears one, where a few dozen windows no longer estimate it.
    /// </summary>
    private const double MaxCorrelation = 0.9;

    private readonly double[] _mean;
    private readonly double[] _variance;
    private readonly double[] _previousZ;
    private readonly double[] _lagProduct;
    private readonly double[] _square;
    private int _count;

    public AggregateSeries(int values)
    {
        _mean = new double[values];
        _variance = new double[values];
        _previousZ = new double[values];
        _lagProduct = new double[values];
        _square = new double[values];
    }

    /// <summary>The latest aggregates with their deviations, oldest first once full (a ring; see <see cref="Head"/>).</summary>
    public (Evidence Evidence, double[] Z)?[] Ring { get; } = new (Evidence, double[])?[RingSize];

    /// <summary>The next slot of <see cref="Ring"/> to write.</summary>
    public int Head { get; private set; }

    /// <summary>Scores an aggregate against the baseline (deviations in standard units; 0 while warming up), then learns it and keeps it.</summary>
    public double[] Add(Evidence aggregate)
    {
        var values = aggregate.Values;
        var z = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var x = values[i];
            if (_count >= WarmUp)
            {
                // A floor of 10 % of the mean (and a small absolute one) keeps a quiet series from alarming at every wiggle.
                var sd = Math.Sqrt(_variance[i] + Math.Pow(0.1 * Math.Abs(_mean[i]), 2) + 1e-6);
                z[i] = (x - _mean[i]) / sd;
                x = Math.Clamp(x, _mean[i] - (3 * sd), _mean[i] + (3 * sd));

                // The moments of the deviations clipped like the value, so one incident's spike does not set the habit.
                var clipped = Math.Clamp(z[i], -3, 3);
                if (_count > WarmUp)
                {
                    _lagProduct[i] += CorrelationAlpha * ((clipped * _previousZ[i]) - _lagProduct[i]);
                }

                _square[i] += CorrelationAlpha * ((clipped * clipped) - _square[i]);
                _previousZ[i] = clipped;
            }

            if (_count == 0)
            {
                _mean[i] = x;
            }
            else
            {
                var delta = x - _mean[i];
                _mean[i] += Alpha * delta;
                _variance[i] = (1 - Alpha) * (_variance[i] + (Alpha * delta * delta));
            }
        }

        _count++;
        Ring[Head] = (aggregate, z);
        Head = (Head + 1) % RingSize;
        return z;
    }

    /// <summary>
    /// How much wider a sum of <c>n</c> successive deviations of value <paramref name="value"/> spreads than
    /// <c>√n</c>: with lag-one autocorrelation ρ (an AR(1) reading of the deviations, clamped to
    /// [0, <see cref="MaxCorrelation"/>]) the variance of the sum is about <c>n (1 + ρ) / (1 − ρ)</c> — the effective
    /// number of independent windows is <c>n (1 − ρ) / (1 + ρ)</c> (Bartlett; Bayley and Hammersley). A request rate that
    /// wanders over tens of minutes leaves deviations from its baseline that run together, and their sum passes any fixed
    /// bound on <c>|Σz| / √n</c> without any change; Poisson noise alone gives ρ near 0 and the factor 1. 1 until
    /// <see cref="WarmUp"/> deviations have been read.
    /// </summary>
    public double Inflation(int value)
    {
        if (_count < WarmUp + WarmUp || _square[value] <= 0)
        {
            return 1;
        }

        var correlation = Math.Clamp(_lagProduct[value] / _square[value], 0, MaxCorrelation);
        return (1 + correlation) / (1 - correlation);
    }
}
