namespace AnalyticsHub.Evaluation.Nab;

/// <summary>An inclusive range of 0-based row indexes in a series: a window mapped onto its rows.</summary>
/// <param name="First">The first row inside the window.</param>
/// <param name="Last">The last row inside the window.</param>
public readonly record struct NabRowRange(int First, int Last)
{
    /// <summary>Gets the number of rows in the range.</summary>
    public int Length => Last - First + 1;
}
