using System.Collections.Immutable;

namespace AnalyticsHub.Evaluation.Nab;

/// <summary>One labelled NAB series: its rows in file order and its anomaly windows mapped onto rows.</summary>
public sealed record NabSeries
{
    /// <summary>Gets the category: the folder under <c>data/</c>, for example <c>realTweets</c>.</summary>
    public required string Category { get; init; }

    /// <summary>Gets the file name without directory, for example <c>Twitter_volume_AAPL.csv</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the key used in <c>windows.json</c>: <c>category/name.csv</c>.</summary>
    public string Key => Category + "/" + Name;

    /// <summary>Gets the row timestamps (UTC) in file order: usually non-decreasing, but they may repeat or step back.</summary>
    public required ImmutableArray<DateTime> Timestamps { get; init; }

    /// <summary>Gets the row values, one per timestamp.</summary>
    public required ImmutableArray<double> Values { get; init; }

    /// <summary>Gets the labelled windows as timestamps, in time order and not overlapping.</summary>
    public required ImmutableArray<NabWindow> Windows { get; init; }

    /// <summary>Gets the labelled windows mapped onto inclusive row ranges, one per window, in the same order.</summary>
    public required ImmutableArray<NabRowRange> WindowRows { get; init; }

    /// <summary>Gets the number of rows.</summary>
    public int RowCount => Timestamps.Length;
}
