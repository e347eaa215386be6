using AnalyticsHub.Events;
using AnalyticsHub.Expressions;

namespace AnalyticsHub.Correlation.Patterns;

/// <summary>A <see cref="CorrelationPattern"/> checked and compiled for the <see cref="PatternMatcher"/>: its steps with compiled conditions and offsets in ticks.</summary>
internal sealed class CompiledPattern(CorrelationPattern pattern, CompiledPattern.Step[] steps)
{
    /// <summary>The pattern as the host wrote it.</summary>
    public CorrelationPattern Pattern { get; } = pattern;

    /// <summary>The steps, in order.</summary>
    public Step[] Steps { get; } = steps;

    /// <summary>One compiled step.</summary>
    /// <param name="Module">The module of the step's event.</param>
    /// <param name="EventType">Its event type.</param>
    /// <param name="Conditions">Conditions that must all be <c>true</c>.</param>
    /// <param name="MaxGapTicks">The most event time after the previous step, in ticks; <see cref="long.MaxValue"/> for no bound (and for the first step).</param>
    internal sealed record Step(SourceModule Module, EventType EventType, CompiledExpression[] Conditions, long MaxGapTicks)
    {
        /// <summary>Whether an event of the step's module and type meets every condition.</summary>
        public bool Holds(AnalyticsEvent evt)
        {
            foreach (var condition in Conditions)
            {
                if (!condition.EvaluateCondition(evt))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
