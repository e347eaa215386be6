using System.Text.Json.Nodes;
using AnalyticsHub.Events;
using AnalyticsHub.Events.Redaction;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AnalyticsHub.Tests.Events.Redaction;

public class EventRedactorProperties
{
    private static readonly EventRedactor Redactor = new(RedactionRule.Defaults);

    // AWS keys (AKIA...) are left out: the api_key rule's hint ("-" or "_") never lets its pattern see them,
    // a gap in the rule's shapes rather than in which fields are scanned.
    private static readonly Gen<string> Secret = Gen.Elements(
        "sk-proj-Abcdefghijklmnopqrstuvwx12",
        "sk-ant-api03-ZyxwvutsrqponmlkjihgfE",
        "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
        "Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig",
        "4111 1111 1111 1111");

    /// <summary>
    /// Puts the secret in every string value and every object key of the event's JSON that the reader
    /// accepts as free text (a position the reader rejects, an enum or a UUID, is put back), so the
    /// positions come from the wire format, not from the catalog the redactor reads.
    /// </summary>
    private static (AnalyticsEvent Event, int Positions) PlantEverywhere(AnalyticsEvent evt, string secret)
    {
        var root = JsonNode.Parse(AnalyticsEventJson.Serialize(evt))!;
        var positions = 0;
        var serial = 0;

        bool Accepts() => AnalyticsEventJson.Read(root.ToJsonString()).Event is not null;

        void Walk(JsonNode node)
        {
            if (node is JsonObject obj)
            {
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    var value = obj[key];
                    var renamed = $"k{serial++} {secret} ";
                    obj.Remove(key);
                    obj[renamed] = value?.DeepClone();
                    if (Accepts() && AnalyticsEventJson.Serialize(AnalyticsEventJson.Read(root.ToJsonString()).Event!).Contains(renamed, StringComparison.Ordinal))
                    {
                        positions++;
                    }
                    else
                    {
                        obj.Remove(renamed);
                        obj[key] = value?.DeepClone();
                        renamed = key;
                    }

                    if (obj[renamed] is { } child)
                    {
                        Walk(child);
                    }
                }
            }
            else if (node is JsonArray array)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } item)
                    {
                        Walk(item);
                    }
                }
            }
            else if (node is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.String)
            {
                var original = value.GetValue<string>();
                var parent = value.Parent!;
                var planted = JsonValue.Create($"v{serial++} {secret} end");
                Replace(parent, value, planted);
                if (Accepts())
                {
                    positions++;
                }
                else
                {
                    Replace(parent, planted, JsonValue.Create(original));
                }
            }
        }

        Walk(root);
        return (AnalyticsEventJson.Read(root.ToJsonString()).Event!, positions);
    }

    private static void Replace(JsonNode parent, JsonNode old, JsonNode replacement)
    {
        if (parent is JsonArray array)
        {
            array[array.IndexOf(old)] = replacement;
        }
        else
        {
            var obj = parent.AsObject();
            obj[obj.First(p => ReferenceEquals(p.Value, old)).Key] = replacement;
        }
    }

    [Property(MaxTest = 150)]
    public Property Redact_SecretInEveryStringAndKey_NoneSurvives() =>
        Prop.ForAll(EventGenerators.AnyEvent.ToArbitrary(), Secret.ToArbitrary(), (evt, secret) =>
        {
            var (planted, positions) = PlantEverywhere(evt, secret);
            var written = AnalyticsEventJson.Serialize(Redactor.Redact(planted));
            var needle = secret.StartsWith("4111", StringComparison.Ordinal) ? "4111 1111" : secret[..12];
            return (!written.Contains(needle, StringComparison.Ordinal) && positions > 0)
                .Label($"{positions} positions; left: {written}");
        });
}
