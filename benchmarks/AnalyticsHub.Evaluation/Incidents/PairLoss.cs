namespace AnalyticsHub.Evaluation.Incidents;

/// <summary>How an event came into a predicted incident, for <see cref="PairLoss"/>.</summary>
public enum MemberSource
{
    /// <summary>Named by the engine itself: a change, an access, an alert, a violation (any producer event that is not a window aggregate).</summary>
    Event,

    /// <summary>A window aggregate (<c>error_rate</c> or <c>throughput</c>) the engine named itself: a grouping rule took it.</summary>
    Aggregate,

    /// <summary>Only through an anomaly episode the engine named: the scorer's expansion of the episode to its series' events in its window.</summary>
    Episode,
}

/// <summary>Where one true incident's pairs went (<see cref="PairLoss"/>).</summary>
/// <param name="Members">The incident's members (an event listed by an earlier true incident counts there, as in <see cref="PairCounts"/>).</param>
/// <param name="Pairs">Its true pairs.</param>
/// <param name="Together">Its pairs the engine put in one incident.</param>
/// <param name="Undetected">Pairs lost through members in no predicted incident whose series the engine never showed (a detection miss).</param>
/// <param name="UndetectedMembers">Those members.</param>
/// <param name="Unjoined">Pairs lost through members in no predicted incident although the engine showed their series (an episode of it, or other events of it in an incident): the grouping left them out.</param>
/// <param name="UnjoinedMembers">Those members.</param>
/// <param name="Split">The other lost pairs: both members in predicted incidents, but in different ones.</param>
/// <param name="SplitMembers">Members outside the predicted incident that holds most of the incident's members.</param>
public readonly record struct TrueIncidentPairLoss(
    int Members, long Pairs, long Together, long Undetected, int UndetectedMembers, long Unjoined, int UnjoinedMembers, long Split, int SplitMembers);

/// <summary>The false pairs of one predicted incident by where its outsiders came from (<see cref="PairLoss"/>).</summary>
/// <param name="Members">Its members (an event held by an earlier predicted incident counts there).</param>
/// <param name="Best">The true incident that holds most of its members, or -1 when it holds none.</param>
/// <param name="False">Its pairs of two events that no true incident puts together.</param>
/// <param name="BySource">False pairs by the outsider's source, indexed by <see cref="MemberSource"/>: a pair of an outsider and a member of <paramref name="Best"/> counts for the outsider, a pair of two outsiders half for each.</param>
/// <param name="OutsidersBySource">Outsiders (members not in <paramref name="Best"/>) by source.</param>
/// <param name="OtherIncidentOutsiders">Outsiders that another true incident lists (the rest the truth lists nowhere).</param>
public readonly record struct PredictedPairLoss(int Members, int Best, long False, double[] BySource, int[] OutsidersBySource, int OtherIncidentOutsiders);

/// <summary>
/// Where a scenario's grouping F1 loses its pairs: per true incident the pairs lost through members in no predicted
/// incident (split by whether the engine showed their series at all) and through members in another predicted
/// incident; per predicted incident the false pairs by the source of the members its best true incident does not list.
/// </summary>
/// <remarks>
/// Uses <see cref="PairCounts"/>'s partition (an event counts in the first group of each side that holds it), so the
/// lost pairs of every true incident sum to true pairs − both pairs, and the false pairs of every predicted incident to
/// predicted pairs − both pairs.
/// </remarks>
public static class PairLoss
{
    /// <summary>Computes the loss of one scenario's run.</summary>
    /// <param name="truth">The true groups (canonical ids).</param>
    /// <param name="predicted">The predicted groups (canonical ids).</param>
    /// <param name="sourceOf">How each predicted event came in; an event it does not hold counts as <see cref="MemberSource.Event"/>.</param>
    /// <param name="seen">Events whose series the engine showed: some anomaly episode of it stands for them, or other events of their series are in a predicted incident.</param>
    /// <returns>One entry per true group and one per predicted group, in order.</returns>
    public static (TrueIncidentPairLoss[] True, PredictedPairLoss[] Predicted) Compute(
        IReadOnlyList<IReadOnlySet<Guid>> truth, IReadOnlyList<IReadOnlySet<Guid>> predicted, IReadOnlyDictionary<Guid, MemberSource> sourceOf, IReadOnlySet<Guid> seen)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(sourceOf);
        ArgumentNullException.ThrowIfNull(seen);
        var trueGroup = PairCounts.Assign(truth, out var trueSizes);
        var predictedGroup = PairCounts.Assign(predicted, out var predictedSizes);
        var cells = new Dictionary<(int True, int Predicted), int>();
        foreach (var (id, p) in predictedGroup)
        {
            var t = trueGroup.TryGetValue(id, out var g) ? g : -1;
            cells[(t, p)] = cells.GetValueOrDefault((t, p)) + 1;
        }

        var trueLoss = new TrueIncidentPairLoss[truth.Count];
        for (var t = 0; t < truth.Count; t++)
        {
            int undetected = 0, unjoined = 0;
            foreach (var (id, g) in trueGroup)
            {
                if (g == t && !predictedGroup.ContainsKey(id))
                {
                    if (seen.Contains(id))
                    {
                        unjoined++;
                    }
                    else
                    {
                        undetected++;
                    }
                }
            }

            long together = 0;
            var largest = 0;
            foreach (var ((ct, _), n) in cells)
            {
                if (ct == t)
                {
                    together += PairCounts.Pairs(n);
                    largest = Math.Max(largest, n);
                }
            }

            var n0 = (int)trueSizes[t];
            var placed = n0 - undetected - unjoined;

            // Pairs with an undetected member first, then with an unjoined one, then the placed members' split pairs.
            var lostUndetected = PairCounts.Pairs(n0) - PairCounts.Pairs(n0 - undetected);
            var lostUnjoined = PairCounts.Pairs(n0 - undetected) - PairCounts.Pairs(placed);
            trueLoss[t] = new TrueIncidentPairLoss(
                n0, PairCounts.Pairs(n0), together, lostUndetected, undetected, lostUnjoined, unjoined, PairCounts.Pairs(placed) - together, placed - largest);
        }

        var predictedLoss = new PredictedPairLoss[predicted.Count];
        for (var p = 0; p < predicted.Count; p++)
        {
            var best = -1;
            var bestCount = 0;
            for (var t = 0; t < truth.Count; t++)
            {
                var n = cells.GetValueOrDefault((t, p));
                if (n > bestCount)
                {
                    best = t;
                    bestCount = n;
                }
            }

            long together = 0;
            foreach (var ((ct, cp), n) in cells)
            {
                if (cp == p && ct >= 0)
                {
                    together += PairCounts.Pairs(n);
                }
            }

            var members = (int)predictedSizes[p];
            var outsiders = members - bestCount;
            var bySource = new double[3];
            var outsidersBySource = new int[3];
            var otherIncident = 0;
            foreach (var (id, g) in predictedGroup)
            {
                if (g != p)
                {
                    continue;
                }

                var t = trueGroup.TryGetValue(id, out var tg) ? tg : -1;
                if (t == best && best >= 0)
                {
                    continue;
                }

                // Its false pairs: every member of the best true incident, and half of each other outsider not listed with it.
                var sameTrue = t >= 0 ? cells.GetValueOrDefault((t, p)) : 1;
                var source = (int)sourceOf.GetValueOrDefault(id, MemberSource.Event);
                bySource[source] += bestCount + ((outsiders - sameTrue) / 2.0);
                outsidersBySource[source]++;
                if (t >= 0)
                {
                    otherIncident++;
                }
            }

            predictedLoss[p] = new PredictedPairLoss(members, best, PairCounts.Pairs(members) - together, bySource, outsidersBySource, otherIncident);
        }

        return (trueLoss, predictedLoss);
    }
}
