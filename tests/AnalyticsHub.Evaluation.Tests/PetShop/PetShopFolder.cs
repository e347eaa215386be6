using System.Globalization;
using System.Text;

namespace AnalyticsHub.Evaluation.Tests.PetShop;

/// <summary>
/// Writes a small dataset folder laid out like PetShop into a temporary directory: one scenario <c>chain</c> where A calls
/// B and B calls C (A also calls the leaf D), latency/Average and availability/Average per component, 120 normal rows, and
/// one training issue whose fault is at C (its latency rises from the third row and passes up the chain), target A.
/// </summary>
internal sealed class PetShopFolder : IDisposable
{
    public const long Start = 1_700_000_000;
    public static readonly string[] Components = ["A", "B", "C", "D"];

    public PetShopFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "petshop-" + Guid.NewGuid().ToString("N"));
        Scenario = Path.Combine(Root, "chain");
        Directory.CreateDirectory(Path.Combine(Scenario, "noissue"));
        Directory.CreateDirectory(Path.Combine(Scenario, "train", "issue_0"));
        File.WriteAllText(Path.Combine(Scenario, "graph.csv"), Graph());
        File.WriteAllText(Path.Combine(Scenario, "noissue", "metrics.csv"), Metrics(Start, 120, _ => 0));
        var issueStart = Start + (200 * 300);
        File.WriteAllText(Path.Combine(Scenario, "train", "issue_0", "metrics.csv"), Metrics(issueStart, 6, r => r is 2 or 3 or 4 ? 0.05 * (r - 1) : 0));
        File.WriteAllText(Path.Combine(Scenario, "train", "issue_0", "target.json"), Target("A", "latency", issueStart + 400, "C"));
    }

    public string Root { get; }

    public string Scenario { get; }

    public string IssueFile(string name) => Path.Combine(Scenario, "train", "issue_0", name);

    public static string Target(string node, string metric, long timestamp, string root) =>
        "{\"target\": {\"node\": \"" + node + "\", \"metric\": \"" + metric + "\", \"agg\": \"Average\", \"timestamp\": "
        + timestamp.ToString(CultureInfo.InvariantCulture) + "}, \"root_cause\": {\"node\": \"" + root + "\", \"metric\": null}}";

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private static string Graph()
    {
        var calls = new HashSet<(string, string)> { ("A", "B"), ("B", "C"), ("A", "D") };
        var text = new StringBuilder("," + string.Join(',', Components) + "\n");
        foreach (var from in Components)
        {
            text.Append(from).Append(',').AppendJoin(',', Components.Select(to => calls.Contains((from, to)) ? "1" : "0")).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Three header rows, pandas' index-name row, then rows of latency (base + noise + the fault on A, B, C) and availability 100.</summary>
    private static string Metrics(long start, int rows, Func<int, double> fault)
    {
        var text = new StringBuilder();
        text.Append("microservice,").AppendJoin(',', Components.Concat(Components)).Append('\n');
        text.Append("metric,").AppendJoin(',', Components.Select(_ => "latency").Concat(Components.Select(_ => "availability"))).Append('\n');
        text.Append("statistic,").AppendJoin(',', Components.Concat(Components).Select(_ => "Average")).Append('\n');
        text.Append("unix_timestamp").Append(',', 2 * Components.Length).Append('\n');
        for (var r = 0; r < rows; r++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{start + (r * 300)}.0");
            for (var c = 0; c < Components.Length; c++)
            {
                var noise = ((((c + 1) * 7919) + ((r + (int)(start % 1000)) * 104729)) % 1000 / 1000.0) - 0.5;
                var value = 0.02 * (c + 1) + (0.001 * noise) + (Components[c] == "D" ? 0 : fault(r));
                text.Append(',').Append(value.ToString("R", CultureInfo.InvariantCulture));
            }

            for (var c = 0; c < Components.Length; c++)
            {
                text.Append(r == 1 && c == 3 ? "," : ",100");
            }

            text.Append('\n');
        }

        return text.ToString();
    }
}
