namespace AnalyticsHub.Correlation.Topology;

/// <summary>
/// Who calls whom: the services of an application and the directed call edges between them (caller → callee). A
/// callee is an upstream dependency of its caller: when the callee degrades, the caller's requests wait on it or fail
/// with it, so a caller's deviation may be the callee's, passed on.
/// </summary>
/// <remarks>
/// A host registers its services and calls with <see cref="AddService"/> and <see cref="AddCall"/>, or builds the graph
/// from the caller/callee tags of its spans or points with <see cref="FromCallTags"/>. Names are compared ordinally.
/// Cycles are allowed (the ranker never walks a path twice). The same graph serves the correlation stage
/// (<see cref="CorrelationStageOptions.Dependencies"/>, services named as entity keys such as <c>model_id=gpt-4o</c>) and
/// <see cref="RootCause.RootCauseRanker.Explain"/>. Not thread-safe while it is being built; reading a graph
/// nobody adds to is safe from any thread.
/// </remarks>
public sealed class DependencyGraph
{
    /// <summary>The tag naming the calling service, read by <see cref="FromCallTags"/> by default.</summary>
    public const string CallerTag = "caller";

    /// <summary>The tag naming the called service, read by <see cref="FromCallTags"/> by default.</summary>
    public const string CalleeTag = "callee";

    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<string> _services = [];
    private readonly List<List<int>> _callees = [];
    private readonly List<List<int>> _callers = [];

    /// <summary>Gets the services in the order they were first registered.</summary>
    public IReadOnlyList<string> Services => _services;

    /// <summary>Gets the number of distinct call edges.</summary>
    public int CallCount { get; private set; }

    /// <summary>Registers a service; registering it again does nothing.</summary>
    /// <param name="service">The service name; not empty.</param>
    /// <returns>This graph, to chain calls.</returns>
    /// <exception cref="ArgumentException">The name is null, empty or white space.</exception>
    public DependencyGraph AddService(string service)
    {
        IndexOf(service);
        return this;
    }

    /// <summary>Registers that <paramref name="caller"/> calls <paramref name="callee"/>, adding either service if new.</summary>
    /// <param name="caller">The calling service.</param>
    /// <param name="callee">The called service (the caller's upstream dependency).</param>
    /// <returns>This graph, to chain calls.</returns>
    /// <exception cref="ArgumentException">A name is null, empty or white space, or a service calls itself.</exception>
    public DependencyGraph AddCall(string caller, string callee)
    {
        var from = IndexOf(caller);
        var to = IndexOf(callee);
        if (from == to)
        {
            throw new ArgumentException($"A service cannot call itself ('{caller}').", nameof(callee));
        }

        if (!_callees[from].Contains(to))
        {
            _callees[from].Add(to);
            _callers[to].Add(from);
            CallCount++;
        }

        return this;
    }

    /// <summary>Whether the service is registered.</summary>
    /// <param name="service">The service name.</param>
    /// <returns><see langword="true"/> when the graph names it.</returns>
    public bool Contains(string service) => service is not null && _index.ContainsKey(service);

    /// <summary>The services <paramref name="service"/> calls directly, in registration order; empty for an unknown one.</summary>
    /// <param name="service">The calling service.</param>
    /// <returns>Its direct callees.</returns>
    public IReadOnlyList<string> CalleesOf(string service) => Names(service, _callees);

    /// <summary>The services that call <paramref name="service"/> directly, in registration order; empty for an unknown one.</summary>
    /// <param name="service">The called service.</param>
    /// <returns>Its direct callers.</returns>
    public IReadOnlyList<string> CallersOf(string service) => Names(service, _callers);

    /// <summary>
    /// The services <paramref name="service"/> depends on, directly or through others, with itself first, in
    /// breadth-first order: every service whose degradation can reach it along calls.
    /// </summary>
    /// <param name="service">The service to start from.</param>
    /// <returns>The service and its transitive callees; empty for an unknown service.</returns>
    public IReadOnlyList<string> DependenciesOf(string service)
    {
        if (service is null || !_index.TryGetValue(service, out var start))
        {
            return [];
        }

        var seen = new bool[_services.Count];
        var order = new List<string>();
        var queue = new Queue<int>();
        seen[start] = true;
        queue.Enqueue(start);
        while (queue.TryDequeue(out var node))
        {
            order.Add(_services[node]);
            foreach (var next in _callees[node])
            {
                if (!seen[next])
                {
                    seen[next] = true;
                    queue.Enqueue(next);
                }
            }
        }

        return order;
    }

    /// <summary>
    /// The fewest calls from <paramref name="service"/> to <paramref name="dependency"/> along caller → callee edges: 0
    /// for the service itself, -1 when it does not depend on it or either is not registered.
    /// </summary>
    internal int Hops(string service, string dependency)
    {
        if (service is null || dependency is null || !_index.TryGetValue(service, out var start) || !_index.TryGetValue(dependency, out var goal))
        {
            return -1;
        }

        if (start == goal)
        {
            return 0;
        }

        var distance = new int[_services.Count];
        Array.Fill(distance, -1);
        distance[start] = 0;
        var queue = new Queue<int>();
        queue.Enqueue(start);
        while (queue.TryDequeue(out var node))
        {
            foreach (var next in _callees[node])
            {
                if (distance[next] < 0)
                {
                    distance[next] = distance[node] + 1;
                    if (next == goal)
                    {
                        return distance[next];
                    }

                    queue.Enqueue(next);
                }
            }
        }

        return -1;
    }

    /// <summary>
    /// Builds a graph from tag sets that name a caller and a callee (one per observed call, e.g. a span's or a point's
    /// tags); a tag set that names only one of the two registers that service; one that names neither is skipped.
    /// </summary>
    /// <param name="tagSets">The tag sets, e.g. the tags of stored points or spans.</param>
    /// <param name="callerTag">The tag naming the caller; <see cref="CallerTag"/> by default.</param>
    /// <param name="calleeTag">The tag naming the callee; <see cref="CalleeTag"/> by default.</param>
    /// <returns>The graph of the calls the tags name.</returns>
    /// <exception cref="ArgumentException">A tag set names the same service as caller and callee.</exception>
    public static DependencyGraph FromCallTags(
        IEnumerable<IReadOnlyDictionary<string, string>> tagSets,
        string callerTag = CallerTag,
        string calleeTag = CalleeTag)
    {
        ArgumentNullException.ThrowIfNull(tagSets);
        ArgumentException.ThrowIfNullOrWhiteSpace(callerTag);
        ArgumentException.ThrowIfNullOrWhiteSpace(calleeTag);
        var graph = new DependencyGraph();
        foreach (var tags in tagSets)
        {
            var hasCaller = tags.TryGetValue(callerTag, out var caller) && !string.IsNullOrWhiteSpace(caller);
            var hasCallee = tags.TryGetValue(calleeTag, out var callee) && !string.IsNullOrWhiteSpace(callee);
            if (hasCaller && hasCallee)
            {
                graph.AddCall(caller!, callee!);
            }
            else if (hasCaller)
            {
                graph.AddService(caller!);
            }
            else if (hasCallee)
            {
                graph.AddService(callee!);
            }
        }

        return graph;
    }

    private int IndexOf(string service)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        if (!_index.TryGetValue(service, out var index))
        {
            index = _services.Count;
            _index.Add(service, index);
            _services.Add(service);
            _callees.Add([]);
            _callers.Add([]);
        }

        return index;
    }

    private string[] Names(string service, List<List<int>> edges) =>
        service is not null && _index.TryGetValue(service, out var index)
            ? [.. edges[index].Select(i => _services[i])]
            : [];
}
