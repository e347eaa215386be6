namespace AnalyticsHub.Anomalies;

/// <summary>The parts of the default detector, as flags: the default uses all of them; fewer are for ablations.</summary>
[Flags]
public enum AnomalyDetectorComponents
{
    /// <summary>No component: the detector never scores above 0.</summary>
    None = 0,

    /// <summary>The point against the median and interquartile range of the trailing window (spikes and drops).</summary>
    Level = 1,

    /// <summary>The point against a daily profile learned online (pattern deviations such as a missed peak).</summary>
    Seasonal = 2,

    /// <summary>The mean of the last few points against the trailing median (level shifts, change points).</summary>
    Shift = 4,

    /// <summary>The short-term rate of change against its own trailing median (denser bursts, flatlines).</summary>
    Activity = 8,

    /// <summary>The distance from the shape of the last few points to its nearest neighbours among recent shapes (KNN-CAD-style: novel patterns, spikes, shifts).</summary>
    Neighbours = 16,

    /// <summary>The default set: level, daily profile, shift and neighbours, chosen by the cross-validated NAB score (activity lowers it, see docs/anomalies.md).</summary>
    Default = Level | Seasonal | Shift | Neighbours,

    /// <summary>Every component.</summary>
    All = Level | Seasonal | Shift | Activity | Neighbours,
}
