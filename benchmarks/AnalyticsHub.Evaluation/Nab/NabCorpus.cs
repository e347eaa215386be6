using System.Collections.Immutable;

namespace AnalyticsHub.Evaluation.Nab;

/// <summary>A loaded NAB-format folder: every series with its labels, ordered by key.</summary>
public sealed record NabCorpus
{
    /// <summary>Gets the folder the corpus was loaded from.</summary>
    public required string Root { get; init; }

    /// <summary>Gets the series, ordered by category then file name (ordinal).</summary>
    public required ImmutableArray<NabSeries> Series { get; init; }

    /// <summary>Gets the total number of rows over all series.</summary>
    public long RowCount
    {
        get
        {
            long rows = 0;
            foreach (var series in Series)
            {
                rows += series.RowCount;
            }

            return rows;
        }
    }

    /// <summary>Gets the total number of labelled windows over all series.</summary>
    public int WindowCount
    {
        get
        {
            var windows = 0;
            foreach (var series in Series)
            {
                windows += series.Windows.Length;
            }

            return windows;
        }
    }
}
