using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AnalyticsHub.Events;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AnalyticsHub.Tests.Events;

/// <summary>Laws of the event JSON format over generated events and generated garbage.</summary>
public sealed class AnalyticsEventJsonProperties
{
    /// <summary>Enum-valued keys inside <c>data</c>, per variant (others such as audit_trail.action are free text).</summary>
    private static readonly Dictionary<string, string[]> DataEnumKeys = new(StringComparer.Ordinal)
    {
        ["threat"] = ["threat_type", "threat_level", "mitigation_status"],
        ["vulnerability"] = ["remediation_status"],
        ["auth"] = ["action"],
        ["privacy"] = ["operation"],
        ["resource_consumption"] = ["resource_type"],
        ["budget_alert"] = ["alert_type"],
        ["policy_violation"] = ["severity"],
        ["data_lineage"] = ["operation"],
    };

    private static readonly byte[] JsonPunctuation = "{}[]\",:-.0e\\n"u8.ToArray();

    private static readonly string[] VariantTags = ["telemetry_type", "security_type", "cost_type", "governance_type"];

    [Property(Arbitrary = [typeof(EventArbitraries)], MaxTest = 300)]
    public void Serialize_ThenRead_IsIdentity(AnalyticsEvent evt)
    {
        var json = AnalyticsEventJson.Serialize(evt);

        var result = AnalyticsEventJson.Read(json);

        Assert.True(result.Succeeded, string.Join("; ", result.Problems));
        Assert.Empty(result.Problems);
        var read = result.Event!;
        Assert.Equal(json, AnalyticsEventJson.Serialize(read));
        Assert.Equal(evt.Common.EventId, read.EventId);
        Assert.Equal(evt.Common.Timestamp.UtcTicks, read.Timestamp.UtcTicks);
        Assert.Equal(evt.Payload.GetType(), read.Payload.GetType());
        Assert.Equal(evt.Payload.Subtype, read.Payload.Subtype);
    }

    [Property(Arbitrary = [typeof(EventArbitraries)], MaxTest = 100)]
    public void SerializeToUtf8BytesIndented_ThenRead_IsIdentity(AnalyticsEvent evt)
    {
        var compact = AnalyticsEventJson.Serialize(evt);

        var result = AnalyticsEventJson.Read(AnalyticsEventJson.SerializeToUtf8Bytes(evt, indented: true));

        Assert.True(result.Succeeded, string.Join("; ", result.Problems));
        Assert.Equal(compact, AnalyticsEventJson.Serialize(result.Event!));
    }

    [Property(Arbitrary = [typeof(EventArbitraries)], MaxTest = 100)]
    public void JsonSerializerWithContext_ReadsAndWritesLikeAnalyticsEventJson(AnalyticsEvent evt)
    {
        var json = AnalyticsEventJson.Serialize(evt);

        var viaContext = JsonSerializer.Deserialize(json, AnalyticsHubJsonContext.Default.AnalyticsEvent)!;
        var written = JsonSerializer.Serialize(evt, AnalyticsHubJsonContext.Default.AnalyticsEvent);

        Assert.Equal(json, AnalyticsEventJson.Serialize(viaContext));
        Assert.Equal(json, written);
    }

    [Property(Arbitrary = [typeof(EventArbitraries)], MaxTest = 200)]
    public void Read_FlattenedForm_ReadsTheSameAsNested(AnalyticsEvent evt)
    {
        var nested = AnalyticsEventJson.Serialize(evt);
        var root = JsonNode.Parse(nested)!.AsObject();
        var payload = root["payload"]!.AsObject();
        root.Remove("payload");
        root["payload_type"] = payload["payload_type"]!.DeepClone();
        root["data"] = payload["data"]!.DeepClone();

        var result = AnalyticsEventJson.Read(root.ToJsonString());

        Assert.True(result.Succeeded, string.Join("; ", result.Problems));
        Assert.Equal(nested, AnalyticsEventJson.Serialize(result.Event!));
    }

    [Property(Arbitrary = [typeof(EventArbitraries)], MaxTest = 200)]
    public void Read_EnumNamesInRandomCase_ReadsTheSame(AnalyticsEvent evt, int seed)
    {
        var canonical = AnalyticsEventJson.Serialize(evt);
        var random = new Random(seed);
        var root = JsonNode.Parse(canonical)!.AsObject();
        Recase(root, ["source_module", "event_type", "severity"], random);
        var payload = root["payload"]!.AsObject();
        Recase(payload, ["payload_type"], random);
        if (payload["data"] is JsonObject data && evt.Payload is not CustomPayload)
        {
            Recase(data, VariantTags, random);
            Recase(data, DataEnumKeys.GetValueOrDefault(evt.Payload.Subtype, []), random);
            if (data["findings"] is JsonArray findings)
            {
                foreach (var finding in findings)
                {
                    Recase(finding!.AsObject(), ["status"], random);
                }
            }
        }

        var result = AnalyticsEventJson.Read(root.ToJsonString());

        Assert.True(result.Succeeded, string.Join("; ", result.Problems));
        Assert.Equal(canonical, AnalyticsEventJson.Serialize(result.Event!));
    }

    [Property(Arbitrary = [typeof(EventArbitraries)], MaxTest = 20)]
    public void Read_EveryPrefixOfAnEvent_FailsWithoutThrowing(AnalyticsEvent evt)
    {
        var bytes = AnalyticsEventJson.SerializeToUtf8Bytes(evt);

        for (var length = 0; length < bytes.Length; length++)
        {
            var result = AnalyticsEventJson.Read(bytes.AsSpan(0, length));

            Assert.False(result.Succeeded);
            ReadResultAssert.AssertWellFormed(result, length);
        }
    }

    [Property(MaxTest = 300)]
    public void Read_RandomBytes_NeverThrowsAndReportsOnlyCatalogueCodes(byte[] bytes)
    {
        var result = AnalyticsEventJson.Read(bytes);

        ReadResultAssert.AssertWellFormed(result, bytes.Length);
    }

    [Property(Arbitrary = [typeof(EventArbitraries)], MaxTest = 300)]
    public void Read_MutatedEvent_NeverThrowsAndReportsOnlyCatalogueCodes(AnalyticsEvent evt, int seed)
    {
        var bytes = new List<byte>(AnalyticsEventJson.SerializeToUtf8Bytes(evt));
        var random = new Random(seed);
        var mutations = random.Next(1, 6);
        for (var i = 0; i < mutations && bytes.Count > 0; i++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes.RemoveAt(at);
                    break;
                case 2:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                default:
                    // JSON punctuation is where the interesting breakage lives.
                    bytes.Insert(at, JsonPunctuation[random.Next(JsonPunctuation.Length)]);
                    break;
            }
        }

        var input = bytes.ToArray();

        var result = AnalyticsEventJson.Read(input);

        ReadResultAssert.AssertWellFormed(result, input.Length);
    }

    [Property(Arbitrary = [typeof(EventArbitraries)], MaxTest = 200)]
    public void Read_OneValueReplacedByAnotherType_ReportsAnErrorWithAPath(AnalyticsEvent evt, int seed)
    {
        var root = JsonNode.Parse(AnalyticsEventJson.Serialize(evt))!;
        var random = new Random(seed);
        var leaves = Leaves(root).Where(n => !IsFreeForm(n.GetPath())).ToList();
        var victim = leaves[random.Next(leaves.Count)];
        JsonNode? replacement = victim.GetValueKind() switch
        {
            JsonValueKind.String => JsonValue.Create(true),
            JsonValueKind.Number => JsonValue.Create("1"),
            JsonValueKind.True or JsonValueKind.False => JsonValue.Create(0),
            _ => new JsonArray(),
        };
        var path = victim.GetPath();
        victim.ReplaceWith(replacement);
        var input = root.ToJsonString();

        var result = AnalyticsEventJson.Read(input);

        ReadResultAssert.AssertWellFormed(result, Encoding.UTF8.GetByteCount(input));
        Assert.False(result.Succeeded, $"Replacing {path} should fail.");
        var problem = Assert.Single(result.Problems);
        Assert.Equal(ProblemCodes.InvalidType, problem.Code);
        Assert.Equal(ToProblemPath(path), problem.Path);
    }

    /// <summary>Values inside maps, custom data and open-enum objects: any type is fine there, or the code differs.</summary>
    private static bool IsFreeForm(string path) =>
        path.StartsWith("$.tags", StringComparison.Ordinal)
        || path.StartsWith("$.payload.data.data", StringComparison.Ordinal)
        || path.StartsWith("$.payload.data.changes", StringComparison.Ordinal)
        || path.StartsWith("$.payload.data.error_breakdown", StringComparison.Ordinal)
        || path.StartsWith("$.payload.data.custom_metrics", StringComparison.Ordinal)
        || path.StartsWith("$.payload.data.threat_type.", StringComparison.Ordinal)
        || path.StartsWith("$.payload.data.resource_type.", StringComparison.Ordinal);

    private static IEnumerable<JsonNode> Leaves(JsonNode node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => p.Value is null ? [] : Leaves(p.Value)),
        JsonArray array => array.SelectMany(item => item is null ? [] : Leaves(item)),
        _ => [node],
    };

    /// <summary>Turns a JsonNode path (<c>$.payload.data['a.b'][1]</c>) into a problem path.</summary>
    private static string ToProblemPath(string nodePath) =>
        nodePath.TrimStart('$').TrimStart('.').Replace("['", ".", StringComparison.Ordinal).Replace("']", string.Empty, StringComparison.Ordinal);

    private static void Recase(JsonObject obj, string[] keys, Random random)
    {
        foreach (var key in keys)
        {
            if (obj[key] is JsonValue value && value.GetValueKind() == JsonValueKind.String)
            {
                var text = value.GetValue<string>();
                var chars = text.Select(c => random.Next(2) == 0 ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c)).ToArray();
                obj[key] = new string(chars);
            }
        }
    }
}
