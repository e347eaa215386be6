using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AnalyticsHub.Correlation.RootCause;

namespace AnalyticsHub.Evaluation.PetShop;

/// <summary>
/// <c>petshop --data &lt;folder&gt; [--split train|test|all] [--method topology|traversal-mad] [--json &lt;file&gt;] [--cv]</c>:
/// loads a PetShop-layout folder, feeds its metrics into the hub's time-series store, explains every issue's target and
/// scores top-1/top-3 recall and specificity with the original protocol, beside the published traversal baseline.
/// </summary>
internal static class PetShopCommand
{
    private const string Usage = """
        usage: petshop --data <folder> [--split train|test|all] [--method <name>] [--json <file>] [--cv]

          --data <folder>    a PetShop scenario (graph.csv, noissue/, train/, test/) or a folder of scenarios
          --split <split>    the issues to score: train (default), test or all
          --method <name>    topology (default: the library's ranker, frozen defaults) or traversal-mad (the published baseline)
          --json <file>      also write the scores as JSON
          --cv               also cross-validate the topology ranker's knobs, leaving one scenario out
        """;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        if (!TryParse(args, out var options, out var problem))
        {
            await Console.Error.WriteLineAsync(problem is null ? Usage : $"petshop: {problem}{Environment.NewLine}{Usage}").ConfigureAwait(false);
            return 2;
        }

        var started = Stopwatch.GetTimestamp();
        IReadOnlyList<PetShopScenario> scenarios;
        try
        {
            scenarios = PetShopLoader.Load(options.Data, options.Split == "all" ? PetShopLoader.Splits : [options.Split]);
        }
        catch (PetShopFormatException ex)
        {
            await Console.Error.WriteLineAsync($"petshop: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"petshop: io_error at {options.Data}: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        var evaluator = new PetShopEvaluator(scenarios);
        IPetShopMethod method = options.Method == TraversalMadMethod.MethodName ? new TraversalMadMethod() : new TopologyMethod(new RootCauseRankerOptions());
        var scores = evaluator.Evaluate(method);
        var reference = method is TraversalMadMethod ? null : evaluator.Evaluate(new TraversalMadMethod());
        var folds = options.CrossValidate ? PetShopCrossValidation.Run(evaluator) : null;
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        Print(scores, reference, folds, options.Split, seconds);
        if (options.Json is { } path)
        {
            await using var stream = File.Create(path);
            Write(stream, scores, reference, folds, options.Split, seconds);
            Console.WriteLine($"wrote {path}");
        }

        return 0;
    }

    internal static void Write(Stream stream, PetShopScores scores, PetShopScores? reference, IReadOnlyList<PetShopFold>? folds, string split, double seconds)
    {
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("split", split);
        writer.WriteNumber("seconds", Math.Round(seconds, 3));
        WriteScores(writer, scores);
        if (reference is not null)
        {
            writer.WriteStartObject("reference");
            WriteScores(writer, reference);
            writer.WriteEndObject();
        }

        if (folds is not null)
        {
            writer.WriteStartObject("cv");
            writer.WriteString("protocol", "leave-one-scenario-out");
            WriteCell(writer, folds.Aggregate(PetShopCell.Empty, (a, f) => a.Add(f.Cell)));
            writer.WriteStartArray("folds");
            foreach (var fold in folds)
            {
                writer.WriteStartObject();
                writer.WriteString("held_out", fold.HeldOut);
                writer.WriteNumber("anomaly_threshold", fold.Threshold);
                writer.WriteNumber("window_minutes", fold.Window.TotalMinutes);
                WriteCell(writer, fold.Cell);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteScores(Utf8JsonWriter writer, PetShopScores scores)
    {
        writer.WriteString("method", scores.Method);
        WriteCell(writer, scores.Pooled);
        writer.WriteStartObject("scenarios");
        foreach (var (scenario, metrics) in scores.Cells)
        {
            writer.WriteStartObject(scenario);
            WriteCell(writer, scores.Scenario(scenario));
            writer.WriteStartObject("metrics");
            foreach (var (metric, cell) in metrics)
            {
                writer.WriteStartObject(metric);
                WriteCell(writer, cell);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteCell(Utf8JsonWriter writer, PetShopCell cell)
    {
        WriteNullable(writer, "top1", cell.Top1Recall);
        WriteNullable(writer, "top3", cell.Top3Recall);
        WriteNullable(writer, "specificity", cell.Specificity);
        writer.WriteNumber("issues", cell.Issues);
        writer.WriteNumber("specificity_cases", cell.SpecificityCases);
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, Math.Round(number, 4));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void Print(PetShopScores scores, PetShopScores? reference, IReadOnlyList<PetShopFold>? folds, string split, double seconds)
    {
        Console.WriteLine($"petshop: split {split}, method {scores.Method}{(reference is null ? string.Empty : $" (reference: {reference.Method})")}");
        Console.WriteLine($"{"scenario",-16} {"metric",-14} {"issues",6} {"top1",6} {"top3",6} {"spec",6}{(reference is null ? string.Empty : $"   {"ref top1",8} {"ref top3",8} {"ref spec",8}")}");
        foreach (var (scenario, metrics) in scores.Cells)
        {
            foreach (var (metric, cell) in metrics)
            {
                Console.WriteLine(Row(scenario, metric, cell, reference?.Cells[scenario].GetValueOrDefault(metric)));
            }
        }

        Console.WriteLine(Row("pooled", string.Empty, scores.Pooled, reference?.Pooled));
        if (folds is not null)
        {
            foreach (var fold in folds)
            {
                Console.WriteLine(string.Create(Invariant, $"cv: held out {fold.HeldOut}: threshold {fold.Threshold}, window {fold.Window.TotalMinutes} min -> top1 {F(fold.Cell.Top1Recall)}, top3 {F(fold.Cell.Top3Recall)}, spec {F(fold.Cell.Specificity)}"));
            }

            var pooled = folds.Aggregate(PetShopCell.Empty, (a, f) => a.Add(f.Cell));
            Console.WriteLine($"cv (leave-one-scenario-out) pooled: top1 {F(pooled.Top1Recall)}, top3 {F(pooled.Top3Recall)}, spec {F(pooled.Specificity)}");
        }

        Console.WriteLine(string.Create(Invariant, $"{seconds:F2} s"));
    }

    private static string Row(string scenario, string metric, PetShopCell cell, PetShopCell? reference) =>
        $"{scenario,-16} {metric,-14} {cell.Issues,6} {F(cell.Top1Recall),6} {F(cell.Top3Recall),6} {F(cell.Specificity),6}"
        + (reference is null ? string.Empty : $"   {F(reference.Top1Recall),8} {F(reference.Top3Recall),8} {F(reference.Specificity),8}");

    private static string F(double? value) => value is { } v ? v.ToString("F2", Invariant) : "-";

    private static bool TryParse(string[] args, out Options options, out string? problem)
    {
        options = new Options();
        problem = null;
        string? data = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--cv":
                    options = options with { CrossValidate = true };
                    break;
                case "--data" or "--split" or "--method" or "--json":
                    if (i + 1 >= args.Length)
                    {
                        problem = $"{args[i]} needs a value";
                        return false;
                    }

                    var value = args[++i];
                    switch (args[i - 1])
                    {
                        case "--data":
                            data = value;
                            break;
                        case "--split" when value is "train" or "test" or "all":
                            options = options with { Split = value };
                            break;
                        case "--split":
                            problem = $"unknown split '{value}' (train, test or all)";
                            return false;
                        case "--method" when value is TopologyMethod.MethodName or TraversalMadMethod.MethodName:
                            options = options with { Method = value };
                            break;
                        case "--method":
                            problem = $"unknown method '{value}' ({TopologyMethod.MethodName} or {TraversalMadMethod.MethodName})";
                            return false;
                        default:
                            options = options with { Json = value };
                            break;
                    }

                    break;
                default:
                    problem = $"unknown argument '{args[i]}'";
                    return false;
            }
        }

        if (data is null)
        {
            problem = "--data is required";
            return false;
        }

        options = options with { Data = data };
        return true;
    }

    private sealed record Options
    {
        public string Data { get; init; } = string.Empty;

        public string Split { get; init; } = "train";

        public string Method { get; init; } = TopologyMethod.MethodName;

        public string? Json { get; init; }

        public bool CrossValidate { get; init; }
    }
}
