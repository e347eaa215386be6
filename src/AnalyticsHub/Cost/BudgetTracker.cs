using System.Globalization;
using AnalyticsHub.Events;

namespace AnalyticsHub.Cost;

/// <summary>
/// Tracks <c>token_cost</c> events against budgets on event time and derives <c>budget_alert</c> events:
/// one per threshold per period, never repeated, and one forecast warning per period (spec decision 16).
/// </summary>
/// <remarks>
/// Out-of-order events count in the period of their own timestamp. Memory is bounded: per budget the
/// latest <see cref="MaxPeriods"/> periods and <see cref="MaxDays"/> days of hourly history are kept; a
/// cost older than every kept period is counted in <see cref="BudgetState.LateEventsDropped"/>, not in a budget.
/// Thread-safe: <see cref="Track"/> and <see cref="GetStates"/> may be called from different threads.
/// </remarks>
public sealed class BudgetTracker
{
    private static readonly DerivedIdSpace BudgetAlertIds = DerivedEvents.Space("budget_alert");

    /// <summary>How many periods per budget are kept.</summary>
    public const int MaxPeriods = 32;

    /// <summary>How many local days of hourly spend per budget feed the forecast.</summary>
    public const int MaxDays = 14;

    private static readonly TimeSpan ForecastRetry = TimeSpan.FromMinutes(5);

    private readonly Budget[] _budgets;
    private readonly BudgetCostSource _source;
    private readonly RequestLedger _ledger;
    private readonly PriceTable? _priceTable;
    private readonly Lock _gate = new();

    /// <summary>Creates a tracker.</summary>
    /// <param name="budgets">The budgets; validated (see <see cref="BudgetDefinition"/>).</param>
    /// <param name="source">Which costs count (see <see cref="BudgetCostSource"/>).</param>
    /// <param name="priceTable">Resolves model aliases for a budget scoped to a model; exact ids only when absent.</param>
    /// <param name="requestMatchWindow">How long (event time) a request is remembered to match its producer and hub costs; 1 hour by default.</param>
    /// <param name="maxTrackedRequests">The most requests remembered at once; 200,000 by default.</param>
    /// <exception cref="ArgumentException">A budget is invalid.</exception>
    public BudgetTracker(
        IEnumerable<BudgetDefinition> budgets,
        BudgetCostSource source = BudgetCostSource.PreferHub,
        PriceTable? priceTable = null,
        TimeSpan? requestMatchWindow = null,
        int maxTrackedRequests = 200_000)
    {
        ArgumentNullException.ThrowIfNull(budgets);
        var problems = new List<string>();
        var list = budgets.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            list[i].Validate($"Budgets[{i}]", problems);
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid budgets: " + string.Join(" ", problems), nameof(budgets));
        }

        _priceTable = priceTable;
        _budgets = [.. list.Select(b => new Budget(b, priceTable))];
        _source = source;
        _ledger = new RequestLedger(maxTrackedRequests, requestMatchWindow ?? TimeSpan.FromHours(1));
    }

    /// <summary>Whether any budget is defined.</summary>
    public bool HasBudgets => _budgets.Length > 0;

    /// <summary>Requests forgotten early because <c>maxTrackedRequests</c> was reached (their later costs may count twice).</summary>
    public long LedgerEvictions
    {
        get
        {
            lock (_gate)
            {
                return _ledger.Evicted;
            }
        }
    }

    /// <summary>Counts one cost event and adds the alerts it triggers to <paramref name="alerts"/>.</summary>
    /// <param name="costEvent">Any event; only <c>token_cost</c> payloads count.</param>
    /// <param name="alerts">Receives the derived <c>budget_alert</c> events.</param>
    /// <returns>The change of counted spend (zero when the event is ignored or was already counted).</returns>
    public double Track(AnalyticsEvent costEvent, ICollection<AnalyticsEvent> alerts)
    {
        ArgumentNullException.ThrowIfNull(costEvent);
        ArgumentNullException.ThrowIfNull(alerts);
        if (_budgets.Length == 0 || costEvent.Payload is not TokenCostEvent cost)
        {
            return 0;
        }

        var fromHub = costEvent.SourceModule == SourceModule.LlmAnalyticsHub;
        lock (_gate)
        {
            var delta = _source switch
            {
                BudgetCostSource.Hub => fromHub ? cost.TotalCostUsd : 0,
                BudgetCostSource.Producer => fromHub ? 0 : cost.TotalCostUsd,
                _ => _ledger.Delta(cost.RequestId, cost.PromptTokens, cost.CompletionTokens, fromHub, cost.TotalCostUsd, costEvent.Timestamp),
            };
            if (delta == 0)
            {
                return 0;
            }

            string? baseModel = null;
            foreach (var budget in _budgets)
            {
                if (budget.Matches(costEvent, cost, _priceTable, ref baseModel))
                {
                    budget.Add(costEvent, delta, alerts);
                }
            }

            return delta;
        }
    }

    /// <summary>
    /// Announces that the hub is pricing <paramref name="usage"/>: under <see cref="BudgetCostSource.PreferHub"/>, a
    /// producer cost for the same call seen before the hub's cost arrives is then not counted (no alert on a price
    /// about to be replaced).
    /// </summary>
    internal void ExpectHubCost(TokenUsageMetrics usage, DateTimeOffset at)
    {
        if (_budgets.Length == 0 || _source != BudgetCostSource.PreferHub)
        {
            return;
        }

        lock (_gate)
        {
            _ledger.ExpectHub(usage.RequestId, usage.PromptTokens, usage.CompletionTokens, at);
        }
    }

    /// <summary>
    /// Continues the periods a previous run saved (<see cref="IBudgetStateStore"/>): their spend counts on, and their
    /// alerted thresholds and forecast warning are not sent again. Call before tracking; a state whose budget is no longer
    /// defined, whose period does not start a period of the budget's calendar now (its period or time zone changed), or
    /// that the tracker already holds is skipped. Thresholds no longer defined are dropped.
    /// </summary>
    /// <param name="states">The saved states.</param>
    /// <returns>How many states were restored.</returns>
    public int Restore(IEnumerable<BudgetPeriodState> states)
    {
        ArgumentNullException.ThrowIfNull(states);
        var restored = 0;
        lock (_gate)
        {
            foreach (var state in states)
            {
                foreach (var budget in _budgets)
                {
                    if (budget.Restore(state))
                    {
                        restored++;
                    }
                }
            }
        }

        return restored;
    }

    /// <summary>The states of the periods changed since the last call (to save in an <see cref="IBudgetStateStore"/>), by budget and period start.</summary>
    public IReadOnlyList<BudgetPeriodState> TakeChanges()
    {
        lock (_gate)
        {
            var changes = new List<BudgetPeriodState>();
            foreach (var budget in _budgets)
            {
                budget.TakeChanges(changes);
            }

            return changes;
        }
    }

    /// <summary>Each budget's latest period: spend, thresholds crossed, forecast.</summary>
    public IReadOnlyList<BudgetState> GetStates()
    {
        lock (_gate)
        {
            return [.. _budgets.Select(b => b.State())];
        }
    }

    private sealed class Budget
    {
        private readonly BudgetDefinition _definition;
        private readonly double[] _thresholds;
        private readonly TimeZoneInfo _zone;
        private readonly string? _model;
        private readonly SortedDictionary<DateTimeOffset, PeriodState> _periods = [];
        private readonly SortedDictionary<DateOnly, double[]> _days = [];
        private PeriodState? _last;
        private long _lateDropped;

        public Budget(BudgetDefinition definition, PriceTable? priceTable)
        {
            _definition = definition;
            _thresholds = [.. (definition.Thresholds ?? DefaultThresholdArray).Order()];
            _zone = definition.ResolveZone()!;
            _model = definition.Model is null ? null : priceTable?.ResolveModelId(definition.Model) ?? definition.Model;
        }

        private static readonly double[] DefaultThresholdArray = [.. BudgetDefinition.DefaultThresholds];

        private string Name => _definition.Name ?? _definition.Id;

        public bool Matches(AnalyticsEvent evt, TokenCostEvent cost, PriceTable? priceTable, ref string? baseModel)
        {
            var d = _definition;
            var tags = evt.Common.Tags;
            if ((d.Environment is not null && !string.Equals(d.Environment, evt.Common.Environment, StringComparison.OrdinalIgnoreCase))
                || (d.Tenant is not null && !(tags.TryGetValue("tenant", out var tenant) && string.Equals(tenant, d.Tenant, StringComparison.Ordinal)))
                || (d.Team is not null && !(tags.TryGetValue("team", out var team) && string.Equals(team, d.Team, StringComparison.Ordinal))))
            {
                return false;
            }

            if (d.Tags is { } required)
            {
                foreach (var (key, value) in required)
                {
                    if (!tags.TryGetValue(key, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal))
                    {
                        return false;
                    }
                }
            }

            if (_model is null)
            {
                return true;
            }

            baseModel ??= priceTable?.ResolveModelId(cost.ModelId) ?? cost.ModelId;
            return string.Equals(baseModel, _model, StringComparison.OrdinalIgnoreCase);
        }

        public void Add(AnalyticsEvent evt, double delta, ICollection<AnalyticsEvent> alerts)
        {
            var at = evt.Timestamp;
            if (Period(at) is not { } period)
            {
                _lateDropped++;
                return;
            }

            period.Spend += delta;
            period.Changed = true;
            period.First = at < period.First ? at : period.First;
            period.Last = at > period.Last ? at : period.Last;
            AddToDay(at, delta);

            var percent = period.Spend / _definition.LimitUsd * 100;
            for (var i = 0; i < _thresholds.Length && percent >= _thresholds[i]; i++)
            {
                if ((period.Alerted & (1 << i)) == 0)
                {
                    period.Alerted |= 1 << i;
                    alerts.Add(Alert(evt, period, _thresholds[i], period.Spend, forecast: false));
                }
            }

            if (_definition.Forecast && !period.ForecastWarned && percent < 100 && at >= period.NextForecast)
            {
                // A projection walks the remaining hours: at most one per hour of the period once one is possible,
                // and a retry every few minutes until then.
                var projection = Project(period, at);
                period.NextForecast = projection is null
                    ? at + ForecastRetry
                    : new DateTimeOffset(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero).AddHours(1);
                if (projection is { } p && p.Projected > _definition.LimitUsd)
                {
                    period.ForecastWarned = true;
                    alerts.Add(Alert(evt, period, Math.Round(p.Projected / _definition.LimitUsd * 100, 2), period.Spend, forecast: true));
                }
            }
        }

        public bool Restore(BudgetPeriodState state)
        {
            if (state is null || !string.Equals(state.BudgetId, _definition.Id, StringComparison.Ordinal))
            {
                return false;
            }

            var (start, end) = BudgetCalendar.PeriodOf(state.PeriodStart, _definition.Period, _zone);
            if (start != state.PeriodStart || end != state.PeriodEnd || _periods.ContainsKey(start))
            {
                return false;
            }

            if (_periods.Count >= MaxPeriods)
            {
                var oldest = _periods.Keys.First();
                if (start < oldest)
                {
                    return false;
                }

                _periods.Remove(oldest);
            }

            var alerted = 0;
            for (var i = 0; i < _thresholds.Length; i++)
            {
                if (state.ThresholdsCrossed.Contains(_thresholds[i]))
                {
                    alerted |= 1 << i;
                }
            }

            var period = new PeriodState
            {
                Start = start,
                End = end,
                Spend = state.SpendUsd,
                First = state.FirstCostAt,
                Last = state.LastCostAt,
                Alerted = alerted,
                ForecastWarned = state.ForecastWarned,
            };
            _periods[start] = period;
            if (_last is null || start >= _last.Start)
            {
                _last = period;
            }

            return true;
        }

        public void TakeChanges(List<BudgetPeriodState> into)
        {
            foreach (var period in _periods.Values)
            {
                if (!period.Changed)
                {
                    continue;
                }

                period.Changed = false;
                into.Add(new BudgetPeriodState
                {
                    BudgetId = _definition.Id,
                    PeriodStart = period.Start,
                    PeriodEnd = period.End,
                    SpendUsd = period.Spend,
                    FirstCostAt = period.First,
                    LastCostAt = period.Last,
                    ThresholdsCrossed = [.. _thresholds.Where((_, i) => (period.Alerted & (1 << i)) != 0)],
                    ForecastWarned = period.ForecastWarned,
                });
            }
        }

        public BudgetState State()
        {
            var p = _last;
            var projection = p is null ? null : Project(p, p.Last);
            return new BudgetState
            {
                BudgetId = _definition.Id,
                BudgetName = Name,
                Period = _definition.Period,
                LimitUsd = _definition.LimitUsd,
                PeriodStart = p?.Start,
                PeriodEnd = p?.End,
                SpendUsd = p?.Spend ?? 0,
                ThresholdsCrossed = p is null ? [] : [.. _thresholds.Where((_, i) => (p.Alerted & (1 << i)) != 0)],
                ProjectedSpendUsd = projection?.Projected,
                ForecastMethod = projection?.Method,
                ForecastWarned = p?.ForecastWarned ?? false,
                LateEventsDropped = _lateDropped,
            };
        }

        private (double Projected, string Method)? Project(PeriodState period, DateTimeOffset now) =>
            BudgetForecast.Project(period.Spend, period.Start, period.End, period.First, now, _days, _zone);

        private PeriodState? Period(DateTimeOffset at)
        {
            if (_last is { } last && at >= last.Start && at < last.End)
            {
                return last;
            }

            var (start, end) = BudgetCalendar.PeriodOf(at, _definition.Period, _zone);
            if (!_periods.TryGetValue(start, out var period))
            {
                if (_periods.Count >= MaxPeriods)
                {
                    var oldest = _periods.Keys.First();
                    if (start < oldest)
                    {
                        return null;
                    }

                    _periods.Remove(oldest);
                }

                _periods[start] = period = new PeriodState { Start = start, End = end, First = at, Last = at };
            }

            if (_last is null || period.Start >= _last.Start)
            {
                _last = period;
            }

            return period;
        }

        private void AddToDay(DateTimeOffset at, double delta)
        {
            var (day, hour) = BudgetCalendar.LocalHour(at, _zone);
            if (!_days.TryGetValue(day, out var hours))
            {
                if (_days.Count >= MaxDays)
                {
                    var oldest = _days.Keys.First();
                    if (day < oldest)
                    {
                        return;
                    }

                    _days.Remove(oldest);
                }

                _days[day] = hours = new double[24];
            }

            hours[hour] += delta;
        }

        private AnalyticsEvent Alert(AnalyticsEvent trigger, PeriodState period, double thresholdPercent, double spend, bool forecast)
        {
            var type = forecast ? BudgetAlertType.Warning
                : thresholdPercent >= 100 ? BudgetAlertType.Exceeded
                : thresholdPercent >= 95 ? BudgetAlertType.Critical
                : BudgetAlertType.Warning;
            var periodName = BudgetCalendar.Name(period.Start, _definition.Period, _zone);
            var tags = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["budget_id"] = _definition.Id,
                ["budget_period"] = periodName,
            };
            if (forecast)
            {
                tags["forecast"] = "true";
            }

            var name = string.Create(CultureInfo.InvariantCulture, $"{_definition.Id}/{period.Start.UtcTicks}/{(forecast ? "forecast" : thresholdPercent.ToString("R", CultureInfo.InvariantCulture))}");
            return new AnalyticsEvent
            {
                Common = DerivedEvents.Common(trigger, BudgetAlertIds.FromName(name), EventType.Cost, type switch
                {
                    BudgetAlertType.Exceeded => Severity.Critical,
                    BudgetAlertType.Critical => Severity.Error,
                    _ => Severity.Warning,
                }, tags),
                Payload = new BudgetAlertEvent
                {
                    BudgetId = _definition.Id,
                    BudgetName = Name,
                    BudgetLimitUsd = _definition.LimitUsd,
                    CurrentSpendUsd = Math.Round(spend, 6),
                    ThresholdPercent = thresholdPercent,
                    AlertType = type,
                },
            };
        }
    }

    private sealed class PeriodState
    {
        public required DateTimeOffset Start { get; init; }

        public required DateTimeOffset End { get; init; }

        public double Spend { get; set; }

        public DateTimeOffset First { get; set; }

        public DateTimeOffset Last { get; set; }

        public int Alerted { get; set; }

        public bool ForecastWarned { get; set; }

        /// <summary>Whether the period changed since its state was last taken for saving.</summary>
        public bool Changed { get; set; }

        public DateTimeOffset NextForecast { get; set; } = DateTimeOffset.MinValue;
    }
}

