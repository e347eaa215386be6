using Microsoft.Extensions.Logging;

namespace AnalyticsHub.Pipeline;

/// <summary>A stage with its declarations read once, as the pipeline runs it.</summary>
internal sealed class StageNode(IIngestionStage stage, int registration)
{
    public IIngestionStage Stage { get; } = stage;

    public string Name => Stage.Name;

    public int Registration { get; } = registration;

    public HandOff[] Produces { get; } = [.. stage.Produces];

    public HandOff[] Consumes { get; } = [.. stage.Consumes];

    /// <summary>The stage's concurrency group, null for the main lane.</summary>
    public string? Group { get; } = stage.ConcurrencyGroup;
}

/// <summary>
/// Orders the registered stages from their declared hand-offs: producers before consumers, otherwise registration
/// order. Disabled stages are left out, and so is every stage that consumes a hand-off no enabled stage produces.
/// </summary>
internal static class StageGraph
{
    /// <summary>Returns the enabled stages in the order they run.</summary>
    /// <exception cref="InvalidOperationException">
    /// Two stages share a name or produce the same hand-off, a stage produces a computed hand-off, or the declarations
    /// form a cycle: configuration errors that stop the hub from starting.
    /// </exception>
    public static IReadOnlyList<StageNode> Order(IEnumerable<IIngestionStage> registered, IReadOnlyCollection<string> disabled, ILogger logger)
    {
        var nodes = registered.Select((stage, index) => new StageNode(stage, index)).ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var producers = new Dictionary<HandOff, StageNode>();
        foreach (var node in nodes)
        {
            if (!names.Add(node.Name))
            {
                throw new InvalidOperationException($"Two pipeline stages are named '{node.Name}'; stage names must be unique.");
            }

            foreach (var handOff in node.Produces)
            {
                if (handOff.IsComputed)
                {
                    throw new InvalidOperationException($"Stage '{node.Name}' declares that it produces '{handOff.Name}', which is computed from the events; consume it instead.");
                }

                if (!producers.TryAdd(handOff, node))
                {
                    throw new InvalidOperationException($"Stages '{producers[handOff].Name}' and '{node.Name}' both produce '{handOff.Name}'; a hand-off has one producer.");
                }
            }
        }

        foreach (var name in disabled)
        {
            if (!names.Contains(name))
            {
                PipelineLog.UnknownDisabledStage(logger, name, string.Join(", ", names));
            }
        }

        var enabled = nodes.Where(node => !disabled.Contains(node.Name)).ToList();
        DisableOrphans(enabled, producers, disabled, logger);
        return Sort(enabled, producers);
    }

    /// <summary>
    /// The lanes the pipeline runs: <see cref="Lanes"/> when stages may run at the same time and the process has more
    /// than one processor, otherwise one lane of every stage in pipeline order (on one processor, lanes would only take
    /// turns on it, paying the switches). Never empty: without stages, one empty lane.
    /// </summary>
    public static int[][] Plan(IReadOnlyList<StageNode> ordered, bool concurrent, int processors)
    {
        var lanes = concurrent && processors > 1 ? Lanes(ordered) : [];
        return lanes.Length > 1 ? lanes : [[.. Enumerable.Range(0, ordered.Count)]];
    }

    /// <summary>
    /// Splits the ordered stages into lanes that may run at the same time on a batch: the stages without a concurrency
    /// group form one lane, each group another; a lane that consumes a hand-off produced in another lane is joined to
    /// it. Each lane lists its stages' indexes in <paramref name="ordered"/>, ascending; lanes are ordered by their
    /// first stage.
    /// </summary>
    public static int[][] Lanes(IReadOnlyList<StageNode> ordered)
    {
        // Union-find over the stages: same group, or producer and consumer, share a lane.
        var parent = new int[ordered.Count];
        for (var i = 0; i < parent.Length; i++)
        {
            parent[i] = i;
        }

        int Root(int i)
        {
            while (parent[i] != i)
            {
                i = parent[i] = parent[parent[i]];
            }

            return i;
        }

        void Join(int a, int b)
        {
            var (ra, rb) = (Root(a), Root(b));
            parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
        }

        var firstOfGroup = new Dictionary<string, int>(StringComparer.Ordinal);
        var mainLane = -1;
        var producerOf = new Dictionary<HandOff, int>();
        for (var i = 0; i < ordered.Count; i++)
        {
            var node = ordered[i];
            if (node.Group is null)
            {
                mainLane = mainLane < 0 ? i : mainLane;
                Join(mainLane, i);
            }
            else if (!firstOfGroup.TryAdd(node.Group, i))
            {
                Join(firstOfGroup[node.Group], i);
            }

            foreach (var handOff in node.Produces)
            {
                producerOf[handOff] = i;
            }
        }

        for (var i = 0; i < ordered.Count; i++)
        {
            foreach (var handOff in ordered[i].Consumes)
            {
                if (producerOf.TryGetValue(handOff, out var producer))
                {
                    Join(producer, i);
                }
            }
        }

        var lanes = new Dictionary<int, List<int>>();
        var order = new List<int>();
        for (var i = 0; i < ordered.Count; i++)
        {
            var root = Root(i);
            if (!lanes.TryGetValue(root, out var lane))
            {
                lanes.Add(root, lane = []);
                order.Add(root);
            }

            lane.Add(i);
        }

        return [.. order.Select(root => lanes[root].ToArray())];
    }

    /// <summary>Removes, until none is left, each stage that consumes a hand-off whose producer is not enabled.</summary>
    private static void DisableOrphans(List<StageNode> enabled, Dictionary<HandOff, StageNode> producers, IReadOnlyCollection<string> disabled, ILogger logger)
    {
        bool removed;
        do
        {
            removed = false;
            for (var i = 0; i < enabled.Count; i++)
            {
                var node = enabled[i];
                foreach (var handOff in node.Consumes)
                {
                    if (handOff.IsComputed || (producers.TryGetValue(handOff, out var producer) && enabled.Contains(producer)))
                    {
                        continue;
                    }

                    var why = producer is null
                        ? "no registered stage produces it"
                        : disabled.Contains(producer.Name) ? $"its producer '{producer.Name}' is disabled" : $"its producer '{producer.Name}' was disabled in turn";
                    PipelineLog.StageDisabledByDependency(logger, node.Name, handOff.Name, why);
                    enabled.RemoveAt(i);
                    removed = true;
                    break;
                }

                if (removed)
                {
                    break;
                }
            }
        }
        while (removed);
    }

    /// <summary>Kahn's algorithm, always taking the earliest-registered ready stage, so unrelated stages keep their order.</summary>
    private static List<StageNode> Sort(List<StageNode> enabled, Dictionary<HandOff, StageNode> producers)
    {
        var waitingOn = new Dictionary<StageNode, HashSet<StageNode>>();
        foreach (var node in enabled)
        {
            var before = new HashSet<StageNode>();
            foreach (var handOff in node.Consumes)
            {
                if (producers.TryGetValue(handOff, out var producer) && producer != node)
                {
                    before.Add(producer);
                }
            }

            waitingOn[node] = before;
        }

        var ordered = new List<StageNode>(enabled.Count);
        var left = new List<StageNode>(enabled);
        while (left.Count > 0)
        {
            var next = left.FirstOrDefault(node => waitingOn[node].All(ordered.Contains))
                ?? throw new InvalidOperationException("The pipeline stages' hand-offs form a cycle: " + string.Join(", ", left.Select(n => n.Name)) + ".");
            ordered.Add(next);
            left.Remove(next);
        }

        return ordered;
    }
}
