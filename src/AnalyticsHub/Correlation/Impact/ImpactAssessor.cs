using System.Globalization;
using AnalyticsHub.Correlation.RootCause;
using AnalyticsHub.Events;

namespace AnalyticsHub.Correlation.Impact;

/// <summary>
/// Assesses an incident's impact (docs/correlation.md, "Impact"): performance and cost of the series it touches against
/// their own preceding hour without the minutes of earlier incidents on the same series or of failures out of control,
/// read from the
/// <see cref="UsageLedger"/>; security and compliance from its members; the business part from both; and a 0..1 score
/// whose band is the <see cref="ImpactSeverity"/>.
/// </summary>
/// <remarks>
/// Allocates per call (once per lifecycle event) and reads the ledger's series in one pass, plus one pass per other
/// incident remembered (whether it touches the same series). Remembers each incident's window and scope while the
/// ledger holds minutes of it. Single-threaded.
/// </remarks>
internal sealed class ImpactAssessor(UsageLedger ledger)
{
    private readonly List<(UsageTotals Window, UsageTotals Baseline)> _perSeries = [];
    private readonly List<(long First, long Last)> _baseline = [];
    private readonly List<(long First, long Last)> _disturbed = [];
    private readonly long[] _requestsPerMinute = new long[UsageLedger.Minutes];
    private readonly long[] _failuresPerMinute = new long[UsageLedger.Minutes];
    private readonly bool[] _outOfControl = new bool[UsageLedger.Minutes];

    /// <summary>The window and scope of every incident assessed, by correlation id, while the ledger may hold its minutes.</summary>
    private readonly Dictionary<Guid, (UsageScope Scope, long From, long To)> _assessed = [];

    /// <summary>
    /// The baseline: how many minutes before the incident's onset, the most recent ones outside earlier incidents on the
    /// same series, give the counterfactual rate.
    /// </summary>
    public const int BaselineMinutes = 60;

    /// <summary>
    /// The fewest baseline minutes the ledger must hold before performance and cost are assessed (undisturbed ones; with
    /// fewer, the whole preceding hour).
    /// </summary>
    public const int MinimumBaselineMinutes = 10;

    /// <summary>
    /// The control limit, in standard deviations, of the p-chart that screens the baseline's minutes: a minute whose
    /// failed fraction lies more than this above the baseline's is a fault's minute (Shewhart's three-sigma limit).
    /// </summary>
    public const double ControlLimitSigmas = 3;

    /// <summary>How many standard deviations of its noise the succeeded spend must shift by to count as the incident's.</summary>
    public const double SignificanceZ = 2;

    /// <summary>
    /// How many times its baseline demand per minute a pool's window demand may reach and still be the same traffic
    /// (demand drifts by less within an hour); beyond it by more than <see cref="SignificanceZ"/> Poisson standard
    /// deviations the pool's traffic is new — an attacker's key on a model its tenant hardly used — and its spend counts
    /// against the baseline's spend per minute.
    /// </summary>
    public const long NewTrafficRatio = 2;

    /// <summary>The error rate, in percent, above which an affected series breaches its service level.</summary>
    public const double ErrorRateSloPercent = 5;

    /// <summary>The latency, as a multiple of the series' baseline, above which it breaches its service level.</summary>
    public const double LatencySloFactor = 2;

    /// <summary>The incidents remembered, whose windows later incidents' baselines leave out once they have ended.</summary>
    public int IncidentsRemembered => _assessed.Count;

    /// <summary>The incident's impact, with the score its severity comes from.</summary>
    /// <param name="incident">The incident.</param>
    /// <param name="window">Its event-time window (the correlation's <c>time_window</c>).</param>
    /// <param name="rootCause">Its root-cause ranking: an external cause first widens the scope to the failed provider's models in its region.</param>
    public (ImpactAssessment Impact, double Score) Assess(Incident incident, TimeRange window, RootCauseAnalysis rootCause)
    {
        var scope = ScopeOf(incident, rootCause);
        var modules = new SortedSet<SourceModule>();
        foreach (var member in incident.Members)
        {
            if (member.Evidence.Kind is not (EvidenceKind.Change or EvidenceKind.Access))
            {
                modules.Add(CorrelationRules.ModuleOf(member.Evidence));
            }
        }

        PerformanceImpact? performance = null;
        CostImpact? cost = null;
        ulong slaBreaches = 0;
        double performanceScore = 0, costScore = 0;
        var from = window.Start.UtcTicks / TimeSpan.TicksPerMinute;
        var to = window.End.UtcTicks / TimeSpan.TicksPerMinute;
        Remember(incident.CorrelationId, scope, from, to);
        var baselineMinutes = scope.IsEmpty ? 0 : BaselineOf(incident.CorrelationId, scope, from, to);
        if (baselineMinutes >= MinimumBaselineMinutes)
        {
            _perSeries.Clear();
            var (during, before) = ledger.SumWindowAndBaseline(scope, from, to, _baseline, _perSeries);
            var minutes = to - from + 1;
            performance = PerformanceOf(during, before, minutes, baselineMinutes);
            var demandIsTheIncident = rootCause.Candidates.Count == 0 && RootCauseRanker.IsProportionalSurge(incident.Members.Select(m => m.Evidence));
            var pools = scope.HasProviders ? ledger.PoolsAcrossModels(scope, from, to, _baseline) : _perSeries;
            cost = CostOf(pools, during, minutes, baselineMinutes, demandIsTheIncident);
            slaBreaches = SlaBreaches(_perSeries);
            performanceScore = Math.Max(Math.Min(1, Math.Max(0, performance.LatencyIncreasePercent) / 100),
                Math.Max(Math.Min(1, Math.Max(0, performance.ErrorRateIncreasePercent) / 10), Math.Min(1, performance.ThroughputDecreasePercent / 50)));
            costScore = Math.Min(1, Math.Max(0, cost.CostIncreasePercent) / 100);
        }

        var security = SecurityOf(incident, out var securityScore, out var complianceScore);
        var score = Math.Round(1 - ((1 - performanceScore) * (1 - costScore) * (1 - securityScore) * (1 - complianceScore)), 6);
        var severity = ImpactAssessment.SeverityOf(score);
        var business = new BusinessImpact
        {
            UsersAffected = Principals(incident),
            SlaViolations = slaBreaches,
            RevenueImpactUsd = null,
            ReputationRisk = security is { DataAtRisk: true } ? ReputationRisk.High : severity switch
            {
                ImpactSeverity.Critical => ReputationRisk.High,
                ImpactSeverity.High => ReputationRisk.Medium,
                ImpactSeverity.Medium => ReputationRisk.Low,
                _ => ReputationRisk.None,
            },
        };
        return (new ImpactAssessment
        {
            Severity = severity,
            AffectedModules = [.. modules],
            PerformanceImpact = performance,
            CostImpact = cost,
            SecurityImpact = security,
            BusinessImpact = business,
        }, score);
    }

    /// <summary>
    /// Fills the baseline's minute ranges (<see cref="_baseline"/>, latest first) and returns their minutes: the minutes
    /// of the <see cref="BaselineMinutes"/> before <paramref name="from"/> that lie in no window of an earlier incident
    /// touching a series of <paramref name="scope"/> — a fault's minutes, and a failover's that moved the traffic away,
    /// are no series' normal — and in which the scope's failures were in control (<see cref="ScreenFaultMinutes"/>: a
    /// fault's minutes that no window covers), and, when fewer than <see cref="MinimumBaselineMinutes"/> of them are, earlier such
    /// minutes up to that many (demand drifts over hours: the baseline stays as recent as it can); when the ledger holds
    /// too few of those, the whole preceding hour. An earlier incident is one whose window — its members' span when it was
    /// last assessed — ended before the onset; one whose window reaches the onset (a piece of the same fault split off, or
    /// a fault overlapping this one) is no earlier occurrence and stays in: it disturbs the window as much as the
    /// baseline. An incident held open past its last member (an effect still expected) counts by its members' span.
    /// </summary>
    private long BaselineOf(Guid self, UsageScope scope, long from, long to)
    {
        _disturbed.Clear();
        foreach (var (id, other) in _assessed)
        {
            if (id != self && EndedBeforeTheOnset(other.To, from) && ledger.Shared(scope, other.Scope))
            {
                _disturbed.Add((other.From, other.To));
            }
        }

        _baseline.Clear();
        var earliest = Math.Max(ledger.FirstMinute, to - UsageLedger.Minutes + 1);
        ScreenFaultMinutes(scope, earliest, from);
        long counted = 0;
        for (var minute = from - 1; minute >= earliest && (minute >= from - BaselineMinutes || counted < MinimumBaselineMinutes); minute--)
        {
            if (Within(_disturbed, minute) || _outOfControl[(int)(minute - earliest)])
            {
                continue;
            }

            counted++;
            if (_baseline.Count > 0 && _baseline[^1].First == minute + 1)
            {
                _baseline[^1] = (minute, _baseline[^1].Last);
            }
            else
            {
                _baseline.Add((minute, minute));
            }
        }

        if (counted >= MinimumBaselineMinutes)
        {
            return counted;
        }

        _baseline.Clear();
        var first = Math.Max(from - BaselineMinutes, earliest);
        if (first < from)
        {
            _baseline.Add((first, from - 1));
        }

        return Math.Max(0, from - first);
    }

    /// <summary>
    /// Marks in <see cref="_outOfControl"/> (index 0 is <paramref name="earliest"/>) the minutes before
    /// <paramref name="onset"/> in which the scope's requests failed out of control: a p-chart (Shewhart) over the scope's
    /// per-minute failed fraction, whose centre line p̄ is the pooled failed fraction of the hour before the onset outside
    /// earlier incidents' windows, revised without the minutes out of control until none is added (the textbook's revised
    /// limits); a minute of n requests and f failures is out of control when f exceeds n·p̄ +
    /// <see cref="ControlLimitSigmas"/>·√(n·p̄(1 − p̄)). Such a minute is a fault's, whether or not an incident window
    /// covers it — an outage's first minutes before its first member, a fault no incident was found for — and is no
    /// normal for the baseline.
    /// </summary>
    private void ScreenFaultMinutes(UsageScope scope, long earliest, long onset)
    {
        var count = (int)Math.Max(0, onset - earliest);
        var requests = _requestsPerMinute.AsSpan(0, count);
        var failures = _failuresPerMinute.AsSpan(0, count);
        var outOfControl = _outOfControl.AsSpan(0, count);
        requests.Clear();
        failures.Clear();
        outOfControl.Clear();
        if (count == 0)
        {
            return;
        }

        ledger.AddRequestsAndFailuresPerMinute(scope, earliest, requests, failures);
        var hour = (int)Math.Max(0, onset - BaselineMinutes - earliest);
        for (var added = true; added;)
        {
            long n = 0, f = 0;
            for (var i = hour; i < count; i++)
            {
                if (!outOfControl[i] && !Within(_disturbed, earliest + i))
                {
                    n += requests[i];
                    f += failures[i];
                }
            }

            if (f == 0)
            {
                // No failure left to judge a minute's against: a zero centre line would put every failure out of control.
                return;
            }

            var centre = f / (double)n;
            added = false;
            for (var i = 0; i < count; i++)
            {
                var expected = requests[i] * centre;
                if (!outOfControl[i] && failures[i] > expected + (ControlLimitSigmas * Math.Sqrt(expected * (1 - centre))))
                {
                    outOfControl[i] = true;
                    added = true;
                }
            }
        }
    }

    /// <summary>Whether an incident whose window's last minute is <paramref name="lastMinute"/> had ended before an onset at <paramref name="onset"/>.</summary>
    private static bool EndedBeforeTheOnset(long lastMinute, long onset) => lastMinute < onset;

    private static bool Within(List<(long First, long Last)> ranges, long minute)
    {
        foreach (var (first, last) in ranges)
        {
            if (first <= minute && minute <= last)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Remembers an incident's scope and window for other incidents' baselines, and forgets those the ledger no longer holds.</summary>
    private void Remember(Guid id, UsageScope scope, long from, long to)
    {
        _assessed[id] = (scope, from, to);
        foreach (var (other, entry) in _assessed)
        {
            if (entry.To < to - UsageLedger.Minutes)
            {
                _assessed.Remove(other);
            }
        }
    }

    /// <summary>
    /// The series an incident touches: every model its effects (anomaly series, window aggregates, alerts) or its changes
    /// name — only the changed model, when the first root candidate is a change of a model among the members —
    /// restricted per model to the regions and tenants named with it (any, when one piece names the model alone);
    /// and, when the first root candidate is an external cause, every model of that provider in that region — the traffic
    /// that failed over left them, so the spend that left counts beside the spend that arrived.
    /// </summary>
    internal static UsageScope ScopeOf(Incident incident, RootCauseAnalysis rootCause)
    {
        var scope = new UsageScope();
        var rootModel = RootModelOf(incident, rootCause);
        foreach (var member in incident.Members)
        {
            var (model, region, tenant) = SeriesOf(member.Evidence);
            if (model is not null && (rootModel is null || model == rootModel))
            {
                scope.Add(model, region, tenant);
            }
        }

        if (rootCause.Candidates is [{ Kind: RootCauseCandidateKind.External, Provider: { } provider, Region: { } failed }, ..])
        {
            scope.AddProvider(provider, failed);
        }

        return scope;
    }

    /// <summary>
    /// The model the incident's first root candidate changed, when it is a change among the members that names one (a
    /// deploy, a template change): its cost is that model's; other models' effects that joined it (a surge's, a
    /// failover's) are other incidents' costs.
    /// </summary>
    private static string? RootModelOf(Incident incident, RootCauseAnalysis rootCause)
    {
        if (rootCause.Candidates is not [{ Kind: RootCauseCandidateKind.Event, EventId: { } root }, ..])
        {
            return null;
        }

        foreach (var member in incident.Members)
        {
            if (member.Evidence.Kind == EvidenceKind.Change && member.Evidence.Event.EventId == root)
            {
                return SeriesOf(member.Evidence).Model;
            }
        }

        return null;
    }

    /// <summary>The model, region and tenant a piece of evidence names (each <see langword="null"/> when it names none).</summary>
    private static (string? Model, string? Region, string? Tenant) SeriesOf(Evidence evidence)
    {
        string? model = null, region = null, tenant = null;
        foreach (var key in evidence.Keys)
        {
            var eq = key.IndexOf('=', StringComparison.Ordinal);
            switch (key.AsSpan(0, eq))
            {
                case "model_id": model = key[(eq + 1)..]; break;
                case "region": region = key[(eq + 1)..]; break;
                case "tenant": tenant = key[(eq + 1)..]; break;
            }
        }

        return (model, region, tenant);
    }

    /// <summary>Latency and error rate of the window against the baseline, throughput per minute against the baseline's, and the window's requests.</summary>
    internal static PerformanceImpact PerformanceOf(UsageTotals during, UsageTotals before, long minutes, long baselineMinutes)
    {
        var latency = during.Requests > 0 && before.Requests > 0 && before.LatencyMsSum > 0
            ? ((during.LatencyMsSum / during.Requests) / (before.LatencyMsSum / before.Requests) - 1) * 100 : 0;
        var errors = (Rate(during) - Rate(before)) * 100;
        var baseRate = before.Requests / (double)baselineMinutes;
        var throughput = baseRate > 0 ? Math.Max(0, 1 - (during.Requests / (double)minutes / baseRate)) * 100 : 0;
        return new PerformanceImpact
        {
            LatencyIncreasePercent = Math.Round(latency, 3),
            ErrorRateIncreasePercent = Math.Round(errors, 3),
            ThroughputDecreasePercent = Math.Round(throughput, 3),
            AffectedRequests = (ulong)during.Requests,
        };
    }

    /// <summary>
    /// The spend over what the window's traffic would have cost at baseline (negative when it cost less), its share of
    /// that counterfactual, and the spend on failed attempts in the window. Per pool of the scope (its series; for an
    /// outage its (region, tenant) pairs over the failed provider's and the other models, between which the failover
    /// moved traffic) the counterfactual is the baseline's spend per first attempt times the window's first attempts,
    /// failed and succeeded spend apart, so demand drifting between the baseline and the window moves nothing. The spend
    /// on failed attempts above it (timeouts the incident caused, billed in part) always counts; the succeeded spend's
    /// shift (rerouting to another price, longer completions, successes lost) counts when it exceeds
    /// <see cref="SignificanceZ"/> standard deviations of its noise — per-request costs vary, so a sum of n of them
    /// varies by the root of the sum of their squares — and is taken as none below. A pool without first attempts in
    /// the baseline, or with significantly more than <see cref="NewTrafficRatio"/> times its baseline demand per minute
    /// (traffic new to the scope, an attacker's), and every pool when <paramref name="demandIsTheIncident"/>
    /// (a proportional surge, whose extra volume is the incident) use the baseline's spend per minute instead.
    /// </summary>
    internal static CostImpact CostOf(IEnumerable<(UsageTotals During, UsageTotals Before)> pools, UsageTotals during, long minutes, long baselineMinutes, bool demandIsTheIncident)
    {
        decimal expected = 0, shift = 0;
        double variance = 0;
        foreach (var (now, before) in pools)
        {
            // The same traffic may reach NewTrafficRatio times the baseline's demand per minute, plus Poisson noise.
            var same = NewTrafficRatio * before.Demand * minutes / (double)baselineMinutes;
            if (demandIsTheIncident || before.Demand == 0 || now.Demand - same > SignificanceZ * Math.Sqrt(same))
            {
                expected += before.CostUsd / baselineMinutes * minutes;
                continue;
            }

            var scale = (decimal)now.Demand / before.Demand;
            var succeeded = (before.CostUsd - before.FailedCostUsd) * scale;
            expected += (before.FailedCostUsd * scale) + succeeded;
            shift += now.CostUsd - now.FailedCostUsd - succeeded;
            variance += now.SucceededCostSquares + ((double)(scale * scale) * before.SucceededCostSquares);
        }

        if (Math.Abs((double)shift) < SignificanceZ * Math.Sqrt(variance))
        {
            // Within the noise of per-request costs: the succeeded spend is taken as what the same traffic cost anyway.
            expected += shift;
        }

        var extra = during.CostUsd - expected;
        return new CostImpact
        {
            AdditionalCostUsd = Math.Round(extra, 6),
            CostIncreasePercent = expected > 0 ? Math.Round((double)(extra / expected) * 100, 3) : 0,
            WastedResourcesUsd = Math.Round(during.FailedCostUsd, 6),
        };
    }

    /// <summary>The affected series that breach their service level in the window: errors above the SLO, or latency above a multiple of their baseline.</summary>
    private static ulong SlaBreaches(List<(UsageTotals Window, UsageTotals Baseline)> perSeries)
    {
        ulong breaches = 0;
        foreach (var (during, before) in perSeries)
        {
            if (during.Requests == 0)
            {
                continue;
            }

            var slow = before.Requests > 0 && during.LatencyMsSum / during.Requests > LatencySloFactor * before.LatencyMsSum / before.Requests;
            breaches += slow || Rate(during) * 100 > ErrorRateSloPercent ? 1UL : 0UL;
        }

        return breaches;
    }

    private static SecurityImpact? SecurityOf(Incident incident, out double securityScore, out double complianceScore)
    {
        ulong threats = 0, violations = 0;
        var exposed = new HashSet<string>(StringComparer.Ordinal);
        var exfiltration = false;
        foreach (var member in incident.Members)
        {
            var e = member.Evidence;
            switch (e.Kind)
            {
                case EvidenceKind.Threat:
                    threats++;
                    exfiltration |= e.Event.Payload is ThreatEvent threat && threat.ThreatType.Category == ThreatCategory.DataExfiltration;
                    break;
                case EvidenceKind.PolicyViolation:
                    violations++;
                    break;
                case EvidenceKind.Access when e.CanBeRoot:
                    foreach (var key in e.Keys)
                    {
                        if (key.StartsWith("principal=", StringComparison.Ordinal))
                        {
                            exposed.Add(key);
                        }
                    }

                    break;
            }
        }

        securityScore = exfiltration ? 0.9 : threats > 0 ? 0.8 : exposed.Count > 0 ? 0.5 : 0;
        complianceScore = violations > 0 ? Math.Min(1, 0.3 + (0.05 * violations)) : 0;
        if (threats == 0 && violations == 0 && exposed.Count == 0)
        {
            return null;
        }

        return new SecurityImpact
        {
            ThreatsDetected = threats,
            VulnerabilitiesExposed = (ulong)exposed.Count,
            DataAtRisk = exfiltration,
            ComplianceViolations = violations,
        };
    }

    private static ulong Principals(Incident incident)
    {
        var principals = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in incident.Members)
        {
            foreach (var key in member.Evidence.Keys)
            {
                if (key.StartsWith("principal=", StringComparison.Ordinal))
                {
                    principals.Add(key);
                }
            }
        }

        return (ulong)principals.Count;
    }

    private static double Rate(UsageTotals totals) => totals.Requests > 0 ? totals.Failures / (double)totals.Requests : 0;

    internal static string Usd(decimal usd) => usd.ToString("0.######", CultureInfo.InvariantCulture);
}
