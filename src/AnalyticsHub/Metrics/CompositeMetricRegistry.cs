using AnalyticsHub.Events;
using AnalyticsHub.Expressions;

namespace AnalyticsHub.Metrics;

/// <summary>
/// The composite metrics a hub evaluates, defined in the options or at runtime. A definition is refused when its name is
/// taken or when it would read itself through other composites (<c>composite_cycle</c>, at the position in its formula
/// where the loop starts); the rest are kept in an order where every composite comes after those it reads.
/// </summary>
/// <remarks>
/// A component reads a composite when its <see cref="CompositeComponent.MetricName"/> is that composite's
/// <see cref="CompositeMetricDefinition.Name"/>. Thread-safe: changes are serialised, and the evaluator reads an immutable
/// snapshot at each close pass, so a definition added at runtime takes effect from the next windows that close.
/// </remarks>
public sealed class CompositeMetricRegistry
{
    private readonly Lock _gate = new();
    private volatile Snapshot _snapshot = Snapshot.Empty;

    /// <summary>Creates an empty registry.</summary>
    public CompositeMetricRegistry()
    {
    }

    /// <summary>Creates a registry holding <paramref name="definitions"/>.</summary>
    /// <param name="definitions">The definitions, in any order.</param>
    /// <exception cref="CompositeMetricException">A definition is refused (see <see cref="TryAdd"/>).</exception>
    public CompositeMetricRegistry(IEnumerable<CompositeMetricDefinition> definitions)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        foreach (var definition in definitions)
        {
            Add(definition);
        }
    }

    /// <summary>Gets the definitions, each after the composites it reads.</summary>
    public IReadOnlyList<CompositeMetricDefinition> Definitions => _snapshot.Definitions;

    internal Snapshot Current => _snapshot;

    /// <summary>Adds a definition unless it is refused.</summary>
    /// <param name="definition">The definition.</param>
    /// <returns>
    /// No problems when added; otherwise <c>conflict</c> (path <c>$.metric_id</c>) when the identifier or the name is already
    /// defined, or <c>composite_cycle</c> with the position of the component in the formula that leads back to it.
    /// </returns>
    public IReadOnlyList<Problem> TryAdd(CompositeMetricDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        lock (_gate)
        {
            var current = _snapshot.Definitions;
            foreach (var existing in current)
            {
                if (existing.MetricId == definition.MetricId || existing.Name == definition.Name)
                {
                    return [new Problem(ProblemCodes.Conflict, "$.metric_id", $"A composite metric '{existing.MetricId}' named '{existing.Name}' is already defined.")];
                }
            }

            var byName = new Dictionary<string, CompositeMetricDefinition>(StringComparer.Ordinal) { [definition.Name] = definition };
            foreach (var existing in current)
            {
                byName[existing.Name] = existing;
            }

            foreach (var component in definition.Components)
            {
                if (FindPath(component.MetricName, definition.Name, byName, []) is { } path)
                {
                    var loop = string.Join(" -> ", [definition.Name, .. path]);
                    return [ExpressionProblems.At(definition.Formula, definition.PositionOf(component.Name), ProblemCodes.CompositeCycle,
                        $"The component '{component.Name}' reads '{component.MetricName}', which leads back to '{definition.Name}' ({loop}).")];
                }
            }

            _snapshot = new Snapshot(Order([.. current, definition]));
            return [];
        }
    }

    /// <summary>Adds a definition.</summary>
    /// <param name="definition">The definition.</param>
    /// <exception cref="CompositeMetricException">The definition is refused (see <see cref="TryAdd"/>).</exception>
    public void Add(CompositeMetricDefinition definition)
    {
        var problems = TryAdd(definition);
        if (problems.Count > 0)
        {
            throw new CompositeMetricException(definition.MetricId, problems);
        }
    }

    /// <summary>Removes a definition by its identifier.</summary>
    /// <param name="metricId">The identifier.</param>
    /// <returns>Whether it was defined. Composites that read it then miss that component.</returns>
    public bool Remove(string metricId)
    {
        lock (_gate)
        {
            var kept = _snapshot.Definitions.Where(d => d.MetricId != metricId).ToArray();
            if (kept.Length == _snapshot.Definitions.Count)
            {
                return false;
            }

            _snapshot = new Snapshot(Order(kept));
            return true;
        }
    }

    /// <summary>The names on a path from <paramref name="from"/> to <paramref name="target"/> through composites, or <see langword="null"/>.</summary>
    private static List<string>? FindPath(string from, string target, Dictionary<string, CompositeMetricDefinition> byName, HashSet<string> seen)
    {
        if (from == target)
        {
            return [from];
        }

        if (!byName.TryGetValue(from, out var definition) || !seen.Add(from))
        {
            return null;
        }

        foreach (var component in definition.Components)
        {
            if (FindPath(component.MetricName, target, byName, seen) is { } rest)
            {
                return [from, .. rest];
            }
        }

        return null;
    }

    /// <summary>Orders definitions so each follows the composites it reads (the graph has no cycle), stable otherwise.</summary>
    private static CompositeMetricDefinition[] Order(CompositeMetricDefinition[] definitions)
    {
        var byName = definitions.ToDictionary(d => d.Name, StringComparer.Ordinal);
        var ordered = new List<CompositeMetricDefinition>(definitions.Length);
        var placed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            Place(definition);
        }

        return [.. ordered];

        void Place(CompositeMetricDefinition definition)
        {
            if (!placed.Add(definition.Name))
            {
                return;
            }

            foreach (var component in definition.Components)
            {
                if (byName.TryGetValue(component.MetricName, out var input))
                {
                    Place(input);
                }
            }

            ordered.Add(definition);
        }
    }

    /// <summary>An immutable view of the definitions for one close pass.</summary>
    internal sealed class Snapshot
    {
        public static readonly Snapshot Empty = new([]);

        public Snapshot(CompositeMetricDefinition[] definitions)
        {
            Definitions = definitions;
            var dimensionSets = new List<string[]>();
            foreach (var definition in definitions)
            {
                var dimensions = definition.Dimensions.ToArray();
                var index = dimensions.Length == 0 ? -1 : dimensionSets.FindIndex(d => d.AsSpan().SequenceEqual(dimensions));
                if (index < 0 && dimensions.Length > 0)
                {
                    index = dimensionSets.Count;
                    dimensionSets.Add(dimensions);
                }

                foreach (var component in definition.Components)
                {
                    if (component.Stat is StatType.P50 or StatType.P95 or StatType.P99)
                    {
                        QuantileInputs.Add(component.MetricName);
                    }

                    if (!InputDimensionSets.TryGetValue(component.MetricName, out var sets))
                    {
                        sets = [];
                        InputDimensionSets.Add(component.MetricName, sets);
                    }

                    if (!sets.Contains(index))
                    {
                        sets.Add(index);
                    }
                }

                DimensionSetOf.Add(definition, index);
            }

            DimensionSets = [.. dimensionSets];
        }

        public IReadOnlyList<CompositeMetricDefinition> Definitions { get; }

        /// <summary>The distinct non-empty dimension lists of the definitions (a definition without dimensions has index -1).</summary>
        public string[][] DimensionSets { get; }

        /// <summary>Per input metric, the indexes into <see cref="DimensionSets"/> of the definitions that read it.</summary>
        public Dictionary<string, List<int>> InputDimensionSets { get; } = new(StringComparer.Ordinal);

        public Dictionary<CompositeMetricDefinition, int> DimensionSetOf { get; } = new(ReferenceEqualityComparer.Instance);

        /// <summary>The input metrics a component reads a quantile of (their windows' sketches are merged; of the others, only the statistics).</summary>
        public HashSet<string> QuantileInputs { get; } = new(StringComparer.Ordinal);
    }
}
