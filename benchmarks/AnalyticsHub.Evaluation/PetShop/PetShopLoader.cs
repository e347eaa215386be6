using System.Globalization;
using System.Text.Json;
using AnalyticsHub.Correlation.Topology;

namespace AnalyticsHub.Evaluation.PetShop;

/// <summary>
/// Reads a folder laid out like the PetShop dataset: either one scenario (<c>graph.csv</c>, <c>noissue/metrics.csv</c>,
/// <c>train/issue_N/</c> and <c>test/issue_N/</c> with <c>metrics.csv</c> and <c>target.json</c>) or a folder of such
/// scenarios. A missing <c>train/</c> or <c>test/</c> folder means no issues of that split.
/// </summary>
/// <remarks>
/// <c>graph.csv</c> is an adjacency matrix (row calls column; first row and column the names; a non-zero cell is a call).
/// <c>metrics.csv</c> has three header rows (component, metric, statistic; the first cell of each is a label), an optional
/// index-name row (a label and empty cells, as pandas writes it), then one row per time: Unix seconds, then one number or
/// an empty cell per column. Every problem is a <see cref="PetShopFormatException"/> with a code and the path.
/// </remarks>
internal static class PetShopLoader
{
    public static readonly string[] Splits = ["train", "test"];

    public static IReadOnlyList<PetShopScenario> Load(string folder, IReadOnlyCollection<string> splits)
    {
        if (!Directory.Exists(folder))
        {
            throw new PetShopFormatException("missing_folder", folder, "the data folder does not exist");
        }

        if (File.Exists(System.IO.Path.Combine(folder, "graph.csv")))
        {
            return [LoadScenario(folder, splits)];
        }

        var scenarios = Directory.GetDirectories(folder)
            .Where(d => File.Exists(System.IO.Path.Combine(d, "graph.csv")))
            .Order(StringComparer.Ordinal)
            .Select(d => LoadScenario(d, splits))
            .ToList();
        return scenarios.Count > 0
            ? scenarios
            : throw new PetShopFormatException("no_scenarios", folder, "neither the folder nor a subfolder has a graph.csv");
    }

    public static PetShopScenario LoadScenario(string folder, IReadOnlyCollection<string> splits)
    {
        var graphPath = System.IO.Path.Combine(folder, "graph.csv");
        var graph = ReadGraph(graphPath);
        var normal = ReadMetrics(System.IO.Path.Combine(folder, "noissue", "metrics.csv"));
        CheckComponents(normal, graph);
        var issues = new List<PetShopIssue>();
        foreach (var split in Splits.Where(splits.Contains))
        {
            var splitFolder = System.IO.Path.Combine(folder, split);
            if (!Directory.Exists(splitFolder))
            {
                continue;
            }

            foreach (var issueFolder in Directory.GetDirectories(splitFolder).Where(d => !System.IO.Path.GetFileName(d).StartsWith('.')).OrderBy(NaturalKey, StringComparer.Ordinal))
            {
                var metrics = ReadMetrics(System.IO.Path.Combine(issueFolder, "metrics.csv"));
                CheckComponents(metrics, graph);
                var target = ReadTarget(System.IO.Path.Combine(issueFolder, "target.json"), graph);
                issues.Add(new PetShopIssue(split, System.IO.Path.GetFileName(issueFolder), metrics, target));
            }
        }

        return new PetShopScenario(System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(folder)), graph, normal, issues);
    }

    public static DependencyGraph ReadGraph(string path)
    {
        var lines = ReadLines(path);
        if (lines.Length == 0)
        {
            throw new PetShopFormatException("bad_graph", path, "the file is empty");
        }

        var names = SplitCsv(lines[0])[1..];
        if (names.Length == 0 || names.Any(string.IsNullOrWhiteSpace))
        {
            throw new PetShopFormatException("bad_graph", $"{path}:1", "the header must name every column's component");
        }

        var graph = new DependencyGraph();
        foreach (var name in names)
        {
            graph.AddService(name);
        }

        for (var row = 1; row < lines.Length; row++)
        {
            if (lines[row].Length == 0)
            {
                continue;
            }

            var cells = SplitCsv(lines[row]);
            var at = $"{path}:{row + 1}";
            if (cells.Length != names.Length + 1)
            {
                throw new PetShopFormatException("ragged_row", at, $"{cells.Length} cells; the header has {names.Length + 1}");
            }

            if (string.IsNullOrWhiteSpace(cells[0]))
            {
                throw new PetShopFormatException("bad_graph", at, "the first cell must name the calling component");
            }

            for (var column = 0; column < names.Length; column++)
            {
                var value = Number(cells[column + 1], at);
                if (double.IsNaN(value))
                {
                    throw new PetShopFormatException("not_a_number", at, $"cell {column + 2} is empty; an adjacency cell is 0 or 1");
                }

                if (value != 0 && !string.Equals(cells[0], names[column], StringComparison.Ordinal))
                {
                    graph.AddCall(cells[0], names[column]);
                }
            }
        }

        return graph;
    }

    public static PetShopTable ReadMetrics(string path)
    {
        var lines = ReadLines(path);
        if (lines.Length < 3)
        {
            throw new PetShopFormatException("bad_header", path, "a metrics file starts with three header rows (component, metric, statistic)");
        }

        var headers = new string[3][];
        for (var i = 0; i < 3; i++)
        {
            headers[i] = SplitCsv(lines[i]);
            if (headers[i].Length != headers[0].Length || headers[i].Length < 2 || headers[i][1..].Any(string.IsNullOrWhiteSpace))
            {
                throw new PetShopFormatException("bad_header", $"{path}:{i + 1}", "each header row names every column, with as many cells as the first");
            }
        }

        var columns = new PetShopColumn[headers[0].Length - 1];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var c = 0; c < columns.Length; c++)
        {
            columns[c] = new PetShopColumn(headers[0][c + 1], headers[1][c + 1], headers[2][c + 1]);
            if (!seen.Add($"{columns[c].Component}\n{columns[c].Key}"))
            {
                throw new PetShopFormatException("bad_header", $"{path}:1", $"column {c + 2} ({columns[c].Component}, {columns[c].Key}) is a duplicate");
            }
        }

        var times = new List<DateTimeOffset>();
        var rows = new List<double[]>();
        for (var line = 3; line < lines.Length; line++)
        {
            if (lines[line].Length == 0)
            {
                continue;
            }

            var cells = SplitCsv(lines[line]);
            var at = $"{path}:{line + 1}";
            if (rows.Count == 0 && times.Count == 0 && !double.TryParse(cells[0], NumberStyles.Float, CultureInfo.InvariantCulture, out _) && cells.Skip(1).All(string.IsNullOrEmpty))
            {
                continue; // the index-name row pandas writes under a three-row header
            }

            if (cells.Length != columns.Length + 1)
            {
                throw new PetShopFormatException("ragged_row", at, $"{cells.Length} cells; the header has {columns.Length + 1}");
            }

            var seconds = Number(cells[0], at);
            if (double.IsNaN(seconds))
            {
                throw new PetShopFormatException("not_a_number", at, "the first cell must be the row's time in Unix seconds");
            }

            var time = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
            if (times.Count > 0 && time <= times[^1])
            {
                throw new PetShopFormatException("time_order", at, $"time {seconds.ToString(CultureInfo.InvariantCulture)} does not follow the previous row's");
            }

            var values = new double[columns.Length];
            for (var c = 0; c < columns.Length; c++)
            {
                values[c] = Number(cells[c + 1], at);
            }

            times.Add(time);
            rows.Add(values);
        }

        var byColumn = new double[columns.Length][];
        for (var c = 0; c < columns.Length; c++)
        {
            byColumn[c] = new double[rows.Count];
            for (var r = 0; r < rows.Count; r++)
            {
                byColumn[c][r] = rows[r][c];
            }
        }

        return new PetShopTable(path, [.. times], columns, byColumn);
    }

    public static PetShopTarget ReadTarget(string path, DependencyGraph graph)
    {
        var text = ReadText(path);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new PetShopFormatException("bad_json", path, ex.Message, ex);
        }

        using (document)
        {
            var root = document.RootElement;
            var node = String(root, path, "target", "node");
            var metric = String(root, path, "target", "metric");
            var statistic = String(root, path, "target", "agg");
            var timestamp = Field(root, path, "target", "timestamp");
            if (timestamp.ValueKind != JsonValueKind.Number || !timestamp.TryGetDouble(out var seconds) || !double.IsFinite(seconds))
            {
                throw new PetShopFormatException("bad_json", $"{path}#target.timestamp", "must be a number of Unix seconds");
            }

            var rootCause = String(root, path, "root_cause", "node");
            foreach (var (name, field) in new[] { (node, "target.node"), (rootCause, "root_cause.node") })
            {
                if (!graph.Contains(name))
                {
                    throw new PetShopFormatException("unknown_node", $"{path}#{field}", $"'{name}' is not in the scenario's graph");
                }
            }

            return new PetShopTarget(node, metric, statistic, DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000)), rootCause);
        }
    }

    private static void CheckComponents(PetShopTable table, DependencyGraph graph)
    {
        foreach (var column in table.Columns)
        {
            if (!graph.Contains(column.Component))
            {
                throw new PetShopFormatException("unknown_node", $"{table.Path}:1", $"component '{column.Component}' is not in the scenario's graph");
            }
        }
    }

    private static JsonElement Field(JsonElement root, string path, string parent, string name)
    {
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty(parent, out var outer) && outer.ValueKind == JsonValueKind.Object
            && outer.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
        {
            return value;
        }

        throw new PetShopFormatException("missing_field", $"{path}#{parent}.{name}", "the field is required");
    }

    private static string String(JsonElement root, string path, string parent, string name)
    {
        var value = Field(root, path, parent, name);
        return value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()!
            : throw new PetShopFormatException("bad_json", $"{path}#{parent}.{name}", "must be a non-empty string");
    }

    private static double Number(string cell, string at)
    {
        if (cell.Length == 0)
        {
            return double.NaN;
        }

        return double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new PetShopFormatException("not_a_number", at, $"'{cell}' is not a finite number");
    }

    private static string[] ReadLines(string path)
    {
        var lines = ReadText(path).Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        return lines.Length > 0 && lines[^1].Length == 0 ? lines[..^1] : lines;
    }

    private static string ReadText(string path) =>
        File.Exists(path) ? File.ReadAllText(path) : throw new PetShopFormatException("missing_file", path, "the file does not exist");

    /// <summary>Splits a CSV line; a double-quoted cell may hold commas and doubled quotes.</summary>
    private static string[] SplitCsv(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }

        cells.Add(cell.ToString());
        return [.. cells];
    }

    private static string NaturalKey(string folder)
    {
        var name = System.IO.Path.GetFileName(folder);
        var digits = name.Length - name.Reverse().TakeWhile(char.IsAsciiDigit).Count();
        return digits < name.Length ? name[..digits] + name[digits..].PadLeft(10, '0') : name;
    }
}
