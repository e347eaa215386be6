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
