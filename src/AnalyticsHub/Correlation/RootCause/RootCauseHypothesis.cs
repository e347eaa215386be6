namespace AnalyticsHub.Correlation.RootCause;

/// <summary>
/// A root-cause candidate while it is ranked: what it names (a change or access event, a provider and region, or an
/// entity of a dependency graph) and the set of evidence features that speak for it. Its confidence is the weighted mean
/// of the features times the product of the factor features, zero when a gate fails (it touches nothing that moved, or
/// it follows the effects by more than the clocks can explain).
/// </summary>
internal sealed class RootCauseHypothesis
{
    /// <summary>An event candidate: a change or a security entry point.</summary>
    public RootCauseHypothesis(Evidence evidence, long ticks)
    {
        Evidence = evidence;
        Ticks = ticks;
        Keys = evidence.Keys;
        Kind = RootCauseCandidateKind.Event;
    }

    /// <summary>An external candidate: a provider in a region.</summary>
    public RootCauseHypothesis(string provider, string region, long ticks)
    {
        Provider = provider;
        Region = region;
        Ticks = ticks;
        Keys = ["provider=" + provider, "region=" + region];
        Kind = RootCauseCandidateKind.External;
    }

    /// <summary>An entity candidate of a metric violation: a service whose own metric deviated.</summary>
    public RootCauseHypothesis(string entity, long ticks, double strength)
    {
        Entity = entity;
        Ticks = ticks;
        Strength = strength;
        Keys = [entity];
    }

    /// <summary>What it names on the wire; null for an entity candidate, which has no wire form.</summary>
    public RootCauseCandidateKind? Kind { get; }

    /// <summary>The entity, for an entity candidate.</summary>
    public string? Entity { get; }

    /// <summary>How strongly it moved, the tie-break between equal confidences (an entity's peak deviation; 0 otherwise).</summary>
    public double Strength { get; }

    /// <summary>The change or access, for an event candidate.</summary>
    public Evidence? Evidence { get; }

    /// <summary>The provider, for an external candidate.</summary>
    public string? Provider { get; }

    /// <summary>The region, for an external candidate.</summary>
    public string? Region { get; }

    /// <summary>When it happened, skew-corrected (an external candidate: its first error).</summary>
    public long Ticks { get; }

    /// <summary>The entities it names.</summary>
    public string[] Keys { get; }

    /// <summary>The evidence features.</summary>
    public List<RootCauseFeature> Features { get; } = [];

    /// <summary>Whether a gate failed: it cannot be the cause whatever the other features say.</summary>
    public bool Excluded { get; set; }

    /// <summary>The weighted mean of the features times the product of the factors, 0 when excluded, rounded to six places.</summary>
    public double Confidence
    {
        get
        {
            if (Excluded)
            {
                return 0;
            }

            double sum = 0, weights = 0, factor = 1;
            foreach (var feature in Features)
            {
                if (feature.IsFactor)
                {
                    factor *= feature.Value;
                }
                else
                {
                    sum += feature.Weight * feature.Value;
                    weights += feature.Weight;
                }
            }

            return weights == 0 ? 0 : Math.Round(sum / weights * factor, 6);
        }
    }

    /// <summary>The value of the named feature, or null when it has none.</summary>
    public double? ValueOf(string name)
    {
        foreach (var feature in Features)
        {
            if (string.Equals(feature.Name, name, StringComparison.Ordinal))
            {
                return feature.Value;
            }
        }

        return null;
    }

    /// <summary>The candidate on the wire.</summary>
    public RootCauseCandidate ToCandidate()
    {
        var evidence = new List<string>(Features.Count);
        foreach (var feature in Features)
        {
            evidence.Add(feature.Sentence);
        }

        if (Kind is not { } kind)
        {
            throw new InvalidOperationException("An entity candidate has no wire form: " + Entity + ".");
        }

        return new RootCauseCandidate
        {
            Kind = kind,
            EventId = Evidence?.Event.EventId,
            Provider = Provider,
            Region = Region,
            Confidence = Confidence,
            Evidence = evidence,
        };
    }
}
