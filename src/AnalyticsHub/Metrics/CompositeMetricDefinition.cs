using AnalyticsHub.Events;
using AnalyticsHub.Expressions;

namespace AnalyticsHub.Metrics;

/// <summary>
/// A composite metric: a formula in the expression language (e.g.
/// <c>cost_per_request = total_cost_usd / request_count</c>) over named components, evaluated per window.
/// </summary>
/// <remarks>
/// <para>
/// Each component is bound to a variable of its name; a component without a value in the window is
/// null. Arithmetic with null gives null, so a missing component makes the result missing unless
/// the formula defaults it (<c>coalesce(error_rate, 0)</c>). Division by zero, the log of a
/// non-positive number and overflow also give null. A null result is never emitted as a number: the
/// evaluation reports <see cref="CompositeEvaluationStatus.MissingComponents"/> (some component was
/// missing) or <see cref="CompositeEvaluationStatus.Undefined"/> (all were present).
/// </para>
/// <para>Thread-safe (evaluations are serialised on an internal lock).</para>
/// </remarks>
public sealed class CompositeMetricDefinition
{
    private readonly CompiledExpression _formula;
    private readonly VariableSet _variables;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _positions = new(StringComparer.Ordinal);

    /// <summary>Creates and compiles a definition.</summary>
    /// <param name="metricId">The identifier reported as <c>metric_id</c>.</param>
    /// <param name="description">A human description.</param>
    /// <param name="formula">The formula; its optional <c>name =</c> prefix names the metric (else <paramref name="metricId"/> does).</param>
    /// <param name="components">The components; their names are the only names the formula may read.</param>
    /// <param name="dimensions">
    /// Tags to evaluate the formula per value of (e.g. <c>["model_id"]</c>): each component then merges only the series
    /// whose tags agree; <see langword="null"/> or empty for one value over all series.
    /// </param>
    /// <param name="windows">The window sizes to evaluate on; <see langword="null"/> or empty for every closed window size.</param>
    /// <exception cref="CompositeMetricException">
    /// The formula does not parse or compile, reads a name that is not a component (<c>unknown_field</c> at its position),
    /// or components repeat a name.
    /// </exception>
    public CompositeMetricDefinition(
        string metricId,
        string description,
        string formula,
        IReadOnlyList<CompositeComponent> components,
        IReadOnlyList<string>? dimensions = null,
        IReadOnlyList<TimeWindow>? windows = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(metricId);
        ArgumentNullException.ThrowIfNull(description);
        ArgumentException.ThrowIfNullOrEmpty(formula);
        ArgumentNullException.ThrowIfNull(components);
        if (components.Count == 0)
        {
            throw new CompositeMetricException(metricId, [new Problem(ProblemCodes.MissingField, "$.components", "A composite metric needs at least one component.")]);
        }

        var names = new string[components.Count];
        var modules = new List<string>();
        for (var i = 0; i < components.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(components[i]);
            names[i] = components[i].Name;
            if (Array.IndexOf(names, names[i]) < i)
            {
                throw new CompositeMetricException(metricId, [new Problem(ProblemCodes.DuplicateKey, $"$.components[{i}].name", $"The component name '{names[i]}' is used twice.")]);
            }

            if (!modules.Contains(components[i].SourceModule))
            {
                modules.Add(components[i].SourceModule);
            }
        }

        foreach (var dimension in dimensions ?? [])
        {
            if (string.IsNullOrEmpty(dimension))
            {
                throw new CompositeMetricException(metricId, [new Problem(ProblemCodes.EmptyValue, "$.dimensions", "A dimension must name a tag.")]);
            }
        }

        _variables = new VariableSet(names);
        var parsed = Expression.Parse(formula);
        if (!parsed.Succeeded)
        {
            throw new CompositeMetricException(metricId, parsed.Errors);
        }

        var unknown = new List<Problem>();
        CollectNames(parsed.Value!.Root, formula, _variables, unknown, _positions);
        if (unknown.Count > 0)
        {
            throw new CompositeMetricException(metricId, unknown);
        }

        var compiled = parsed.Value.Compile(new CompileOptions { Variables = _variables });
        if (!compiled.Succeeded)
        {
            throw new CompositeMetricException(metricId, compiled.Errors);
        }

        _formula = compiled.Value!;
        MetricId = metricId;
        Name = _formula.Name ?? metricId;
        Description = description;
        Formula = formula;
        Components = [.. components];
        SourceModules = modules;
        Dimensions = dimensions is null ? [] : [.. dimensions.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        Windows = windows is null ? [] : [.. windows.Distinct()];
    }

    /// <summary>Gets the tags the formula is evaluated per value of, sorted; empty for one value over all series.</summary>
    public IReadOnlyList<string> Dimensions { get; }

    /// <summary>Gets the window sizes the formula is evaluated on; empty for every closed window size.</summary>
    public IReadOnlyList<TimeWindow> Windows { get; }

    /// <summary>Gets the identifier.</summary>
    public string MetricId { get; }

    /// <summary>Gets the metric name (the formula's <c>name =</c> prefix, or the identifier).</summary>
    public string Name { get; }

    /// <summary>Gets the description.</summary>
    public string Description { get; }

    /// <summary>Gets the formula text.</summary>
    public string Formula { get; }

    /// <summary>Gets the components, in variable order.</summary>
    public IReadOnlyList<CompositeComponent> Components { get; }

    /// <summary>Gets the distinct source modules of the components.</summary>
    public IReadOnlyList<string> SourceModules { get; }

    /// <summary>Evaluates the formula for one window.</summary>
    /// <param name="componentValues">One value per component, in <see cref="Components"/> order; <see langword="null"/> (or NaN/infinity) is missing.</param>
    /// <param name="window">The window size.</param>
    /// <param name="windowStart">The window's start, reported as the timestamp.</param>
    /// <returns>The composite metric, or why there is none.</returns>
    /// <exception cref="ArgumentException">The number of values differs from the number of components.</exception>
    public CompositeEvaluation Evaluate(ReadOnlySpan<double?> componentValues, TimeWindow window, DateTimeOffset windowStart)
    {
        if (componentValues.Length != Components.Count)
        {
            throw new ArgumentException($"Expected {Components.Count} component values, got {componentValues.Length}.", nameof(componentValues));
        }

        var missing = false;
        double? result;
        lock (_gate)
        {
            for (var i = 0; i < componentValues.Length; i++)
            {
                var value = Value.FromNumber(componentValues[i]);
                missing |= value.IsNull;
                _variables[i] = value;
            }

            result = _formula.EvaluateNumber(_variables);
        }

        if (result is not { } number || !double.IsFinite(number))
        {
            return new CompositeEvaluation(missing ? CompositeEvaluationStatus.MissingComponents : CompositeEvaluationStatus.Undefined, null);
        }

        var components = new List<ComponentMetric>(Components.Count);
        for (var i = 0; i < componentValues.Length; i++)
        {
            if (componentValues[i] is { } present && double.IsFinite(present))
            {
                components.Add(new ComponentMetric
                {
                    Name = Components[i].Name,
                    SourceModule = Components[i].SourceModule,
                    Value = present,
                    Weight = Components[i].Weight,
                });
            }
        }

        return new CompositeEvaluation(CompositeEvaluationStatus.Computed, new CompositeMetric
        {
            MetricId = MetricId,
            Name = Name,
            Description = Description,
            SourceModules = SourceModules,
            Components = components,
            Value = number,
            Formula = Formula,
            Window = window,
            Timestamp = windowStart.ToUniversalTime(),
        });
    }

    /// <summary>Where the formula first reads a component (0 when it never does).</summary>
    internal int PositionOf(string componentName) => _positions.TryGetValue(componentName, out var position) ? position : 0;

    /// <summary>Whether a window size is one this definition is evaluated on.</summary>
    internal bool EvaluatesOn(TimeWindow window) => Windows.Count == 0 || Windows.Contains(window);

    private static void CollectNames(ExpressionNode node, string text, VariableSet variables, List<Problem> unknown, Dictionary<string, int> positions)
    {
        switch (node)
        {
            case FieldNode field when !variables.TryGetSlot(field.Path, out _):
                unknown.Add(ExpressionProblems.At(text, field.Position, ProblemCodes.UnknownField, $"'{field.Path}' is not a component of this composite metric."));
                break;
            case FieldNode field:
                positions.TryAdd(field.Path, field.Position);
                break;
            case BinaryNode binary:
                CollectNames(binary.Left, text, variables, unknown, positions);
                CollectNames(binary.Right, text, variables, unknown, positions);
                break;
            case UnaryNode unary:
                CollectNames(unary.Operand, text, variables, unknown, positions);
                break;
            case CallNode call:
                foreach (var argument in call.Arguments)
                {
                    CollectNames(argument, text, variables, unknown, positions);
                }

                break;
            case InNode inNode:
                CollectNames(inNode.Operand, text, variables, unknown, positions);
                foreach (var item in inNode.Items)
                {
                    CollectNames(item, text, variables, unknown, positions);
                }

                break;
            default:
                break;
        }
    }
}
