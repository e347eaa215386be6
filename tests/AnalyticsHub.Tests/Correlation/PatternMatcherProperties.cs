using AnalyticsHub.Correlation;
using AnalyticsHub.Correlation.Patterns;
using AnalyticsHub.Events;
using AnalyticsHub.Expressions;
using FsCheck.Xunit;

namespace AnalyticsHub.Tests.Correlation;

/// <summary>
/// The pattern automaton against a brute-force reference: drop the late events, sort the rest by (time, id), and find by
/// dynamic programming over every earlier event (conditions walked with the tree interpreter) the events that complete
/// a match. The automaton must report exactly those, once each, with a chain that is a valid match.
/// </summary>
public class PatternMatcherProperties
{
    private static readonly PatternStep[] StepPool =
    [
        PatternMatcherTests.Step(0, SourceModule.LlmRegistry, EventType.Audit, null, ("deploy", "action == \"deploy\"")),
        PatternMatcherTests.Step(0, SourceModule.LlmRegistry, EventType.Audit, null),
        PatternMatcherTests.Step(0, SourceModule.LlmObservatory, EventType.Telemetry, null, ("slow", "total_latency_ms > 2000")),
        PatternMatcherTests.Step(0, SourceModule.LlmObservatory, EventType.Telemetry, null, ("fast", "total_latency_ms <= 2000"), ("model", "tags.model_id == \"a\"")),
        PatternMatcherTests.Step(0, SourceModule.LlmObservatory, EventType.Telemetry, null),
    ];

    private static (List<AnalyticsEvent> Delivered, CorrelationPattern[] Patterns, TimeSpan Lateness) Generate(Random random)
    {
        var events = new List<AnalyticsEvent>();
        var count = random.Next(0, 40);
        for (var i = 0; i < count; i++)
        {
            var minute = random.Next(0, 60) + (random.Next(4) * 0.25);
            events.Add(random.Next(4) == 0
                ? PatternMatcherTests.Deploy(i + 1, minute, random.Next(2) == 0 ? "deploy" : "rollback")
                : PatternMatcherTests.Latency(i + 1, minute, random.Next(2) == 0 ? 3_000 : 500, random.Next(2) == 0 ? "a" : "b"));
        }

        // Delivery order: sorted, then each event moved back by a random share of the lateness (sometimes beyond it).
        var lateness = TimeSpan.FromMinutes(random.Next(0, 12));
        var delivered = events.OrderBy(e => e.Timestamp.AddMinutes(random.NextDouble() * (lateness.TotalMinutes + 3))).ToList();
        if (delivered.Count > 0 && random.Next(3) == 0)
        {
            delivered.Insert(random.Next(delivered.Count), delivered[random.Next(delivered.Count)]);
        }

        var patterns = new CorrelationPattern[random.Next(1, 4)];
        for (var p = 0; p < patterns.Length; p++)
        {
            var steps = new PatternStep[random.Next(1, 5)];
            for (var k = 0; k < steps.Length; k++)
            {
                steps[k] = StepPool[random.Next(StepPool.Length)] with
                {
                    StepNumber = (uint)(k + 1),
                    TimeOffsetMs = k == 0 || random.Next(4) == 0 ? null : random.Next(0, 15) * 60_000L,
                };
            }

            patterns[p] = new CorrelationPattern
            {
                PatternId = "p" + p, Name = "p" + p, Description = "random", Modules = [.. steps.Select(s => s.Module).Distinct()], Sequence = steps,
            };
        }

        return (delivered, patterns, lateness);
    }

    /// <summary>The reference: per pattern, the ids of the events that complete at least one match.</summary>
    private static Dictionary<string, HashSet<Guid>> Reference(List<AnalyticsEvent> delivered, CorrelationPattern[] patterns, TimeSpan lateness, out List<AnalyticsEvent> ordered)
    {
        var kept = new List<AnalyticsEvent>();
        var watermark = DateTimeOffset.MinValue;
        foreach (var evt in delivered)
        {
            if (watermark != DateTimeOffset.MinValue && evt.Timestamp < watermark - lateness)
            {
                continue;
            }

            watermark = evt.Timestamp > watermark ? evt.Timestamp : watermark;
            kept.Add(evt);
        }

        List<AnalyticsEvent> sorted = [.. kept.DistinctBy(e => e.EventId).OrderBy(e => e.Timestamp.UtcTicks).ThenBy(e => e.EventId)];
        ordered = sorted;
        var answer = new Dictionary<string, HashSet<Guid>>();
        foreach (var pattern in patterns)
        {
            var m = pattern.Sequence.Count;
            var reach = new bool[m, sorted.Count];
            for (var i = 0; i < sorted.Count; i++)
            {
                for (var k = 0; k < m; k++)
                {
                    if (!Meets(pattern.Sequence[k], sorted[i]))
                    {
                        continue;
                    }

                    var gap = pattern.Sequence[k].TimeOffsetMs;
                    var extends = k == 0;
                    for (var j = 0; j < i && !extends; j++)
                    {
                        extends = reach[k - 1, j] && (gap is null || (sorted[i].Timestamp - sorted[j].Timestamp).TotalMilliseconds <= gap);
                    }

                    reach[k, i] = extends;
                }
            }

            answer[pattern.PatternId] = [.. Enumerable.Range(0, sorted.Count).Where(i => reach[m - 1, i]).Select(i => sorted[i].EventId)];
        }

        return answer;
    }

    private static bool Meets(PatternStep step, AnalyticsEvent evt) =>
        evt.SourceModule == step.Module && evt.Common.EventType == step.EventType
        && step.Conditions.Values.All(text => Expression.Parse(text).Value!.Interpret(evt).IsTrue);

    [Property(MaxTest = 200)]
    public bool Matcher_AgreesWithTheBruteForceReference(int seed)
    {
        var (delivered, patterns, lateness) = Generate(new Random(seed));
        var expected = Reference(delivered, patterns, lateness, out var ordered);
        var problems = new List<Problem>();
        var matcher = new PatternMatcher(PatternCompiler.Compile(patterns, "p", problems), lateness);
        var completed = new List<PatternMatch>();
        foreach (var evt in delivered)
        {
            matcher.Observe(evt, completed);
            matcher.Advance(completed);
        }

        matcher.Flush(completed);
        var position = ordered.Select((e, i) => (e.EventId, i)).ToDictionary(p => p.EventId, p => p.i);
        foreach (var pattern in patterns)
        {
            var found = completed.Where(m => m.Pattern.Pattern == pattern).ToList();
            var ends = found.Select(m => m.EventIds[^1]).ToList();
            if (problems.Count > 0 || ends.Count != ends.Distinct().Count() || !ends.ToHashSet().SetEquals(expected[pattern.PatternId]))
            {
                return false;
            }

            foreach (var match in found)
            {
                // A valid match: one event per step, in (time, id) order, each meeting its step within its offset.
                var events = match.EventIds.Select(id => ordered[position[id]]).ToList();
                for (var k = 0; k < events.Count; k++)
                {
                    var gap = pattern.Sequence[k].TimeOffsetMs;
                    if (!Meets(pattern.Sequence[k], events[k])
                        || (k > 0 && (position[match.EventIds[k]] <= position[match.EventIds[k - 1]]
                            || (gap is not null && (events[k].Timestamp - events[k - 1].Timestamp).TotalMilliseconds > gap))))
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }
}
