using System.Text.RegularExpressions;

namespace AnalyticsHub.Tests;

/// <summary>
/// The repository stands alone: every "decision N", "spec 1.x" and "§1.x" that code or docs cite names a decision or a
/// section of docs/wire-format.md, and no file names a path on one machine. Reads the repository's own sources (found
/// by walking up from the test's folder to <c>AnalyticsHub.sln</c>), never anything beside it.
/// </summary>
public partial class RepositoryReferenceTests
{
    private static readonly string[] SourceFolders = ["src", "tests", "benchmarks", "samples", "docs"];
    private static readonly string[] Extensions = [".cs", ".md", ".json", ".csproj", ".props"];

    private static readonly Lazy<string> Root = new(FindRoot);
    private static readonly Lazy<WireFormatIndex> WireFormat = new(() => WireFormatIndex.Read(Path.Combine(Root.Value, "docs", "wire-format.md")));

    [Fact]
    public void WireFormatPage_HasTheSectionsAndDecisionsItNumbers()
    {
        // A guard on the index itself, so the citation test below cannot pass by reading nothing.
        Assert.Contains("1.1", WireFormat.Value.Sections);
        Assert.Contains("1.6", WireFormat.Value.Sections);
        Assert.Equal(Enumerable.Range(1, WireFormat.Value.Decisions.Count), WireFormat.Value.Decisions.Order());
        Assert.True(WireFormat.Value.Decisions.Count >= 27, $"docs/wire-format.md numbers {WireFormat.Value.Decisions.Count} decisions");
    }

    [Fact]
    public void EveryCitedDecisionAndSection_IsInTheWireFormatPage()
    {
        var missing = new List<string>();
        var citations = 0;
        foreach (var file in SourceFiles())
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                foreach (Match m in DecisionCitation().Matches(lines[i]))
                {
                    citations++;
                    if (!WireFormat.Value.Decisions.Contains(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)))
                    {
                        missing.Add($"{Relative(file)}:{i + 1}: {m.Value}");
                    }
                }

                foreach (Match m in SectionCitation().Matches(lines[i]))
                {
                    citations++;
                    if (!WireFormat.Value.Sections.Contains(m.Groups[1].Value))
                    {
                        missing.Add($"{Relative(file)}:{i + 1}: {m.Value}");
                    }
                }
            }
        }

        Assert.True(citations > 100, $"only {citations} citations found: the scan reads the wrong folders");
        Assert.True(missing.Count == 0, "Citations docs/wire-format.md does not have:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void NoFile_NamesAPathOnOneMachine()
    {
        var offending = SourceFiles()
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: f, Line: i + 1, Text: line)))
            .Where(l => MachinePath().IsMatch(l.Text))
            .Select(l => $"{Relative(l.File)}:{l.Line}: {l.Text.Trim()}")
            .ToList();

        Assert.True(offending.Count == 0, "Paths outside the repository:\n" + string.Join("\n", offending));
    }

    private static IEnumerable<string> SourceFiles() =>
        SourceFolders
            .Select(f => Path.Combine(Root.Value, f))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
            .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.Ordinal))
            .Where(f => !IsBuildOutput(f))
            .Where(f => !string.Equals(Path.GetFileName(f), "wire-format.md", StringComparison.Ordinal))
            .Where(f => !string.Equals(Path.GetFileName(f), nameof(RepositoryReferenceTests) + ".cs", StringComparison.Ordinal));

    private static bool IsBuildOutput(string file)
    {
        var parts = Path.GetRelativePath(Root.Value, file).Split(Path.DirectorySeparatorChar);
        return parts.Any(p => p is "bin" or "obj" or "BenchmarkDotNet.Artifacts" or "TestResults");
    }

    private static string Relative(string file) => Path.GetRelativePath(Root.Value, file);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AnalyticsHub.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No AnalyticsHub.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"\b[Dd]ecisions? (\d+)\b")]
    private static partial Regex DecisionCitation();

    [GeneratedRegex(@"(?:\bspec |§ ?)(1\.\d+)\b")]
    private static partial Regex SectionCitation();

    [GeneratedRegex(@"(?:/work/|\.\./shared|/home/[a-z]|/Users/[A-Za-z]|[A-Z]:\\Users\\)")]
    private static partial Regex MachinePath();

    private sealed record WireFormatIndex(HashSet<string> Sections, HashSet<int> Decisions)
    {
        public static WireFormatIndex Read(string path)
        {
            var sections = new HashSet<string>(StringComparer.Ordinal);
            var decisions = new HashSet<int>();
            var inDecisions = false;
            foreach (var line in File.ReadLines(path))
            {
                var section = Regex.Match(line, @"^###\s+(1\.\d+)\s");
                if (section.Success)
                {
                    sections.Add(section.Groups[1].Value);
                }

                if (line.StartsWith("## Decisions", StringComparison.Ordinal))
                {
                    inDecisions = true;
                }
                else if (inDecisions && Regex.Match(line, @"^(\d+)\. ") is { Success: true } decision)
                {
                    decisions.Add(int.Parse(decision.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
                }
            }

            return new WireFormatIndex(sections, decisions);
        }
    }
}
