namespace AnalyticsHub.Correlation;

/// <summary>
/// One window-aggregate series (measurement, model, region): a baseline per value (exponentially weighted mean and
/// variance, updated with the value clipped to three deviations so an incident does not drag it along) and the latest
/// aggregates with their deviations, to fill an incident in from its onset when the series is found to have moved.
/// </summary>
internal sealed class AggregateSeries
{
    /// <summary>The aggregates kept for back-filling (an hour and a half of one-minute windows).</summary>
    public const int RingSize = 96;

    private const double Alpha = 0.05;
    private const int WarmUp = 20;
    private readonly double[] _mean;
    private readonly double[] _variance;
    private int _count;

    public AggregateSeries(int values)
    {
        _mean = new double[values];
        _variance = new double[values];
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
}
