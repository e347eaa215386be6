namespace AnalyticsHub.Correlation;

/// <summary>
/// How an aggregate series stands in one incident: the running sum of its deviations since the incident's onset, and
/// whether the sum has shown the series moved (then its aggregates are members while the incident is open).
/// </summary>
internal sealed class SeriesInvolvement(int values)
{
    /// <summary>The sums of the deviations, per value.</summary>
    public double[] Sums { get; } = new double[values];

    /// <summary>The aggregates summed.</summary>
    public int Count { get; set; }

    /// <summary>Whether the series moved within the incident.</summary>
    public bool Involved { get; set; }

    /// <summary>
    /// Whether, when it joined, only a blocking policy of the incident named the series (an error rate no other evidence
    /// named): it is a member while the policy's violations go on, not while the incident lasts (<c>IncidentBuilder.Lasts</c>).
    /// </summary>
    public bool JoinedAsBlocked { get; set; }

    /// <summary>
    /// Where an involved traffic series' members begin: its own move's start when it joined, moved earlier when a later
    /// series moves the incident's onset (<c>IncidentBuilder.ExtendBackFill</c>); <see cref="long.MaxValue"/> for a series
    /// not dated back (an error rate, a series an adopted change routes).
    /// </summary>
    public long MembersFrom { get; set; } = long.MaxValue;

    /// <summary>Adds an aggregate's deviations.</summary>
    public void Add(double[] z)
    {
        for (var i = 0; i < z.Length; i++)
        {
            Sums[i] += z[i];
        }

        Count++;
    }

    /// <summary>
    /// Whether the summed deviations show a move: |Σz| / √n of some value at <paramref name="threshold"/> or more (errors
    /// only upwards), over at least two aggregates.
    /// </summary>
    /// <param name="upOnly">Count only rises (errors).</param>
    /// <param name="threshold">The bound on |Σz| / √n.</param>
    /// <param name="eligible">Which values may show the move.</param>
    public bool Moved(bool upOnly, double threshold, ReadOnlySpan<bool> eligible)
    {
        if (Count < 2)
        {
            return false;
        }

        var scale = Math.Sqrt(Count);
        for (var i = 0; i < Sums.Length; i++)
        {
            if (!eligible[i])
            {
                continue;
            }

            var statistic = Sums[i] / scale;
            if (upOnly ? statistic >= threshold : Math.Abs(statistic) >= threshold)
            {
                return true;
            }
        }

        return false;
    }
}
