using AnalyticsHub.Events;

namespace AnalyticsHub.Correlation;

/// <summary>Events as nodes and their relationships as edges, per incident or over a time range (wire format 1.6 <c>EventGraph</c>).</summary>
public sealed record EventGraph
{
    /// <summary>
    /// The graph of one incident: a node per listed member (id = its event id), an edge per causal link between two
    /// listed members (<see cref="EventCorrelation.CausalLinks"/>), and the metadata of <see cref="GraphMetadata.Of"/>.
    /// </summary>
    /// <param name="correlation">The incident, as <c>GetCorrelationAsync</c> returns it.</param>
    /// <returns>The graph; its id is the correlation id and its time range the incident's window.</returns>
    /// <remarks>
    /// Edge relationships: <c>direct_cause</c> and <c>indirect_cause</c> links are <see cref="EdgeRelationship.Causes"/>,
    /// <c>amplification</c> is <see cref="EdgeRelationship.Amplifies"/>, <c>correlation</c> is
    /// <see cref="EdgeRelationship.CorrelatesWith"/>; the weight is the link's strength and the properties keep the
    /// causal relationship and the time delta. Node attributes: the member's role, severity and summary.
    /// </remarks>
    public static EventGraph Of(EventCorrelation correlation)
    {
        ArgumentNullException.ThrowIfNull(correlation);
        var nodes = new List<EventNode>(correlation.Events.Count);
        var ids = new HashSet<Guid>();
        foreach (var member in correlation.Events)
        {
            if (!ids.Add(member.EventId))
            {
                continue;
            }

            var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["role"] = WireName(member.Role),
                ["severity"] = WireName(member.Severity),
            };
            if (!string.IsNullOrEmpty(member.Summary))
            {
                attributes["summary"] = member.Summary;
            }

            nodes.Add(new EventNode
            {
                NodeId = member.EventId.ToString("D"),
                EventId = member.EventId,
                SourceModule = member.SourceModule,
                EventType = member.EventType,
                Timestamp = member.Timestamp,
                Attributes = attributes,
            });
        }

        var edges = new List<EventEdge>(correlation.CausalLinks.Count);
        foreach (var link in correlation.CausalLinks)
        {
            if (!ids.Contains(link.FromEventId) || !ids.Contains(link.ToEventId))
            {
                continue;
            }

            var from = link.FromEventId.ToString("D");
            var to = link.ToEventId.ToString("D");
            edges.Add(new EventEdge
            {
                EdgeId = from + ">" + to,
                FromNode = from,
                ToNode = to,
                RelationshipType = link.Relationship switch
                {
                    CausalRelationship.DirectCause or CausalRelationship.IndirectCause => EdgeRelationship.Causes,
                    CausalRelationship.Amplification => EdgeRelationship.Amplifies,
                    _ => EdgeRelationship.CorrelatesWith,
                },
                Weight = link.Strength,
                Properties = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["causal_relationship"] = WireName(link.Relationship),
                    ["time_delta_ms"] = link.TimeDeltaMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
            });
        }

        return new EventGraph
        {
            GraphId = correlation.CorrelationId.ToString("D"),
            TimeRange = correlation.TimeWindow,
            Nodes = nodes,
            Edges = edges,
            Metadata = GraphMetadata.Of(nodes, edges),
        };
    }

    /// <summary>
    /// The graph of several incidents over a time range: each incident's graph (<see cref="Of(EventCorrelation)"/>) merged,
    /// a node shared by incidents once and an edge between the same two events once.
    /// </summary>
    /// <param name="correlations">The incidents, strongest first (as a <see cref="CorrelationQuery"/> answers).</param>
    /// <param name="range">The event-time range the incidents were read from.</param>
    /// <returns>The merged graph; its id is <c>range:&lt;start&gt;/&lt;end&gt;</c> (round-trip times).</returns>
    /// <remarks>
    /// A merged node keeps the attributes of the first incident that lists it and gains <c>correlation_ids</c>, the ids of
    /// every incident that lists it, comma-separated in input order; a merged edge keeps the strongest of its links
    /// (the first on a tie) and gains the same property. Nodes are ordered by event time, then event id; edges in the order
    /// first met.
    /// </remarks>
    public static EventGraph Over(IEnumerable<EventCorrelation> correlations, TimeRange range)
    {
        ArgumentNullException.ThrowIfNull(correlations);
        var nodes = new Dictionary<string, (EventNode Node, List<Guid> Incidents)>(StringComparer.Ordinal);
        var edges = new Dictionary<string, (EventEdge Edge, List<Guid> Incidents)>(StringComparer.Ordinal);
        var edgeOrder = new List<string>();
        foreach (var correlation in correlations)
        {
            var graph = Of(correlation);
            foreach (var node in graph.Nodes)
            {
                if (!nodes.TryGetValue(node.NodeId, out var held))
                {
                    nodes[node.NodeId] = held = (node, []);
                }

                held.Incidents.Add(correlation.CorrelationId);
            }

            foreach (var edge in graph.Edges)
            {
                if (!edges.TryGetValue(edge.EdgeId, out var held))
                {
                    edgeOrder.Add(edge.EdgeId);
                    edges[edge.EdgeId] = held = (edge, []);
                }
                else if (edge.Weight > held.Edge.Weight)
                {
                    edges[edge.EdgeId] = held = (edge, held.Incidents);
                }

                held.Incidents.Add(correlation.CorrelationId);
            }
        }

        var mergedNodes = nodes.Values
            .Select(n => n.Node with { Attributes = WithIncidents(n.Node.Attributes, n.Incidents) })
            .OrderBy(n => n.Timestamp.UtcTicks).ThenBy(n => n.EventId)
            .ToList();
        var mergedEdges = edgeOrder.Select(id => edges[id]).Select(e => e.Edge with { Properties = WithIncidents(e.Edge.Properties, e.Incidents) }).ToList();
        return new EventGraph
        {
            GraphId = "range:" + range.Start.ToString("O", System.Globalization.CultureInfo.InvariantCulture) + "/" + range.End.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            TimeRange = range,
            Nodes = mergedNodes,
            Edges = mergedEdges,
            Metadata = GraphMetadata.Of(mergedNodes, mergedEdges),
        };
    }

    /// <summary>
    /// The graph of a <see cref="CorrelationQuery"/>'s answer: the incidents it found merged over its window
    /// (<see cref="Over"/>), and with a seed event only what lies within <see cref="CorrelationQuery.MaxDepth"/> edges of
    /// the seed (<see cref="Traverse"/>).
    /// </summary>
    /// <param name="result">The answer of <c>QueryCorrelationsAsync</c> for <paramref name="query"/>; it must be a success.</param>
    /// <param name="query">The query.</param>
    /// <exception cref="ArgumentException">The answer is a refusal (it holds problems, no incidents).</exception>
    /// <remarks>
    /// The query's traversal links incidents that share members up to <c>max_depth</c>; a path of d edges from the seed
    /// crosses at most d incidents, each sharing an event with the next, so those incidents are all in the answer and the
    /// traversal over the merged graph is complete. An answer without incidents gives an empty graph over the query's
    /// window (or an empty range at the Unix epoch when there was none).
    /// </remarks>
    public static EventGraph Of(CorrelationQueryResult result, CorrelationQuery query)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(query);
        if (result.Correlations is not { } correlations)
        {
            throw new ArgumentException("The query was refused: " + string.Join("; ", result.Problems), nameof(result));
        }

        var graph = Over(correlations, result.Window ?? new TimeRange(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch));
        return query.SeedEventId == Guid.Empty ? graph : graph.Traverse(query.SeedEventId, query.MaxDepth);
    }

    /// <summary>
    /// What lies within <paramref name="maxDepth"/> edges of an event, edge direction ignored (a cause and an effect are
    /// both one step away): breadth first from the seed; each node gains the attribute <c>depth</c> (0 for the seed), and
    /// the edges between two reached nodes are kept.
    /// </summary>
    /// <param name="seedEventId">The event to start from.</param>
    /// <param name="maxDepth">The most edges from the seed (0: the seed alone).</param>
    /// <returns>The subgraph, with its metadata recomputed and id <c>&lt;graph id&gt;|seed:&lt;event id&gt;</c>; no nodes when the seed is not in the graph.</returns>
    public EventGraph Traverse(Guid seedEventId, uint maxDepth)
    {
        var seed = seedEventId.ToString("D");
        var neighbours = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var edge in Edges)
        {
            Link(neighbours, edge.FromNode, edge.ToNode);
            Link(neighbours, edge.ToNode, edge.FromNode);
        }

        var depth = new Dictionary<string, uint>(StringComparer.Ordinal);
        if (Nodes.Any(n => string.Equals(n.NodeId, seed, StringComparison.Ordinal)))
        {
            depth[seed] = 0;
            var frontier = new Queue<string>([seed]);
            while (frontier.TryDequeue(out var node))
            {
                if (depth[node] == maxDepth || !neighbours.TryGetValue(node, out var next))
                {
                    continue;
                }

                foreach (var other in next)
                {
                    if (depth.TryAdd(other, depth[node] + 1))
                    {
                        frontier.Enqueue(other);
                    }
                }
            }
        }

        var nodes = Nodes.Where(n => depth.ContainsKey(n.NodeId))
            .Select(n => n with { Attributes = new Dictionary<string, string>(n.Attributes, StringComparer.Ordinal) { ["depth"] = depth[n.NodeId].ToString(System.Globalization.CultureInfo.InvariantCulture) } })
            .ToList();
        var edges = Edges.Where(e => depth.ContainsKey(e.FromNode) && depth.ContainsKey(e.ToNode)).ToList();
        return this with { GraphId = GraphId + "|seed:" + seed, Nodes = nodes, Edges = edges, Metadata = GraphMetadata.Of(nodes, edges) };
    }

    private static void Link(Dictionary<string, List<string>> neighbours, string from, string to)
    {
        if (!neighbours.TryGetValue(from, out var list))
        {
            neighbours[from] = list = [];
        }

        list.Add(to);
    }

    private static Dictionary<string, string> WithIncidents(IReadOnlyDictionary<string, string> values, List<Guid> incidents) =>
        new(values, StringComparer.Ordinal) { ["correlation_ids"] = string.Join(",", incidents.Select(id => id.ToString("D"))) };

    private static string WireName<T>(T value)
        where T : struct, Enum => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    /// <summary>The graph's id.</summary>
    public required string GraphId { get; init; }

    /// <summary>The event-time span of its nodes.</summary>
    public required TimeRange TimeRange { get; init; }

    /// <summary>The nodes.</summary>
    public required IReadOnlyList<EventNode> Nodes { get; init; }

    /// <summary>The edges.</summary>
    public required IReadOnlyList<EventEdge> Edges { get; init; }

    /// <summary>Counts and shape (<see cref="GraphMetadata.Of"/>).</summary>
    public required GraphMetadata Metadata { get; init; }
}

/// <summary>One event of an <see cref="EventGraph"/>.</summary>
public sealed record EventNode
{
    /// <summary>The node's id within the graph.</summary>
    public required string NodeId { get; init; }

    /// <summary>The event's id.</summary>
    public required Guid EventId { get; init; }

    /// <summary>The module that emitted it.</summary>
    public required SourceModule SourceModule { get; init; }

    /// <summary>Its event type.</summary>
    public required EventType EventType { get; init; }

    /// <summary>Its event time.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>What to show about it (role, summary, entities).</summary>
    public required IReadOnlyDictionary<string, string> Attributes { get; init; }
}

/// <summary>One relationship of an <see cref="EventGraph"/>, directed from <see cref="FromNode"/> to <see cref="ToNode"/>.</summary>
public sealed record EventEdge
{
    /// <summary>The edge's id within the graph.</summary>
    public required string EdgeId { get; init; }

    /// <summary>The source node's id.</summary>
    public required string FromNode { get; init; }

    /// <summary>The target node's id.</summary>
    public required string ToNode { get; init; }

    /// <summary>What the edge stands for.</summary>
    public required EdgeRelationship RelationshipType { get; init; }

    /// <summary>Its weight, in [0, 1].</summary>
    public required double Weight { get; init; }

    /// <summary>What else to show about it (the time delta, the shared entity).</summary>
    public required IReadOnlyDictionary<string, string> Properties { get; init; }
}

/// <summary>The size and shape of an <see cref="EventGraph"/>.</summary>
public sealed record GraphMetadata
{
    /// <summary>The number of nodes, n.</summary>
    public required ulong NodeCount { get; init; }

    /// <summary>The number of edges, m (directed; parallel edges count each).</summary>
    public required ulong EdgeCount { get; init; }

    /// <summary>The number of weakly connected components (edge direction ignored; an isolated node is one component).</summary>
    public required ulong ConnectedComponents { get; init; }

    /// <summary>The average degree, 2m / n (in plus out degree per node); 0 for an empty graph.</summary>
    public required double AvgDegree { get; init; }

    /// <summary>The density of a directed graph without self-loops, m / (n (n − 1)); 0 when n &lt; 2.</summary>
    public required double Density { get; init; }

    /// <summary>Computes the metadata of a graph from its nodes and edges.</summary>
    /// <exception cref="ArgumentException">An edge names a node that is not in <paramref name="nodes"/>.</exception>
    public static GraphMetadata Of(IReadOnlyList<EventNode> nodes, IReadOnlyList<EventEdge> edges)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(edges);
        var index = new Dictionary<string, int>(nodes.Count, StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            index.TryAdd(node.NodeId, index.Count);
        }

        var parent = new int[index.Count];
        for (var i = 0; i < parent.Length; i++)
        {
            parent[i] = i;
        }

        var components = index.Count;
        foreach (var edge in edges)
        {
            if (!index.TryGetValue(edge.FromNode, out var from) || !index.TryGetValue(edge.ToNode, out var to))
            {
                throw new ArgumentException($"Edge '{edge.EdgeId}' names a node that is not in the graph.", nameof(edges));
            }

            var a = Find(parent, from);
            var b = Find(parent, to);
            if (a != b)
            {
                parent[a] = b;
                components--;
            }
        }

        double n = index.Count, m = edges.Count;
        return new GraphMetadata
        {
            NodeCount = (ulong)index.Count,
            EdgeCount = (ulong)edges.Count,
            ConnectedComponents = (ulong)components,
            AvgDegree = n == 0 ? 0 : 2 * m / n,
            Density = n < 2 ? 0 : m / (n * (n - 1)),
        };
    }

    private static int Find(int[] parent, int i)
    {
        while (parent[i] != i)
        {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }

        return i;
    }
}
