using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace AnalyticsHub.Evaluation.Nab;

/// <summary>Loads NAB-format folders: <c>data/&lt;category&gt;/&lt;name&gt;.csv</c> plus <c>windows.json</c>.</summary>
/// <remarks>
/// Tolerates CRLF or LF line endings, a missing final newline, blank lines, fractional seconds
/// (ignored), irregular steps, gaps of days, repeated timestamps and a clock that steps back: rows are
/// kept in file order, as NAB's own detectors take them. Timestamps are read as UTC. Anything else
/// that is wrong raises a <see cref="NabFormatException"/> naming the file and line.
/// </remarks>
public static class NabLoader
{
    /// <summary>The name of the labels file at the root of a NAB-format folder.</summary>
    public const string WindowsFileName = "windows.json";

    /// <summary>The name of the folder holding one sub-folder of CSV files per category.</summary>
    public const string DataFolderName = "data";

    private const string TimestampFormat = "yyyy-MM-dd HH:mm:ss";

    /// <summary>Loads every series and its windows from a NAB-format folder.</summary>
    /// <param name="folder">The folder holding <c>data/</c> and <c>windows.json</c>.</param>
    /// <returns>The corpus, series ordered by category then name.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder or its <c>data/</c> sub-folder does not exist.</exception>
    /// <exception cref="FileNotFoundException"><c>windows.json</c> does not exist.</exception>
    /// <exception cref="NabFormatException">A file is malformed or the labels do not match the files.</exception>
    public static NabCorpus Load(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var root = Path.GetFullPath(folder);
        var dataFolder = Path.Combine(root, DataFolderName);
        if (!Directory.Exists(dataFolder))
        {
            throw new DirectoryNotFoundException($"{root} is not a NAB-format folder: it has no '{DataFolderName}' sub-folder.");
        }

        var windowsPath = Path.Combine(root, WindowsFileName);
        if (!File.Exists(windowsPath))
        {
            throw new FileNotFoundException($"{root} is not a NAB-format folder: it has no '{WindowsFileName}'.", windowsPath);
        }

        var labels = ParseWindows(windowsPath, File.ReadAllText(windowsPath));

        var files = new List<(string Category, string Name, string Path)>();
        foreach (var categoryPath in Directory.EnumerateDirectories(dataFolder))
        {
            var category = Path.GetFileName(categoryPath);
            foreach (var csvPath in Directory.EnumerateFiles(categoryPath, "*.csv"))
            {
                files.Add((category, Path.GetFileName(csvPath), csvPath));
            }
        }

        files.Sort(static (a, b) =>
        {
            var byCategory = string.CompareOrdinal(a.Category, b.Category);
            return byCategory != 0 ? byCategory : string.CompareOrdinal(a.Name, b.Name);
        });

        var series = ImmutableArray.CreateBuilder<NabSeries>(files.Count);
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (category, name, path) in files)
        {
            var key = category + "/" + name;
            if (!labels.TryGetValue(key, out var windows))
            {
                throw new NabFormatException(windowsPath, null, $"no entry for data file '{key}' (use [] for a file without anomalies).");
            }

            used.Add(key);
            var (timestamps, values) = ParseCsv(path, File.ReadAllText(path));
            series.Add(CreateSeries(category, name, timestamps, values, windows, windowsPath));
        }

        foreach (var key in labels.Keys)
        {
            if (!used.Contains(key))
            {
                throw new NabFormatException(windowsPath, null, $"entry '{key}' names no file under '{DataFolderName}/'.");
            }
        }

        return new NabCorpus { Root = root, Series = series.MoveToImmutable() };
    }

    /// <summary>Builds a series from rows and windows, mapping each window onto its rows.</summary>
    /// <param name="category">The category, for example <c>realTweets</c>.</param>
    /// <param name="name">The file name, for example <c>Twitter_volume_AAPL.csv</c>.</param>
    /// <param name="timestamps">The row timestamps (UTC), in file order (see <see cref="MapWindow"/> for a clock that steps back).</param>
    /// <param name="values">The row values, one per timestamp.</param>
    /// <param name="windows">The labelled windows, in any order.</param>
    /// <returns>The series with its windows sorted and mapped onto rows.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or a window is empty, inverted, covers no row or overlaps another.</exception>
    public static NabSeries CreateSeries(
        string category,
        string name,
        IReadOnlyList<DateTime> timestamps,
        IReadOnlyList<double> values,
        IReadOnlyList<NabWindow> windows)
    {
        ArgumentNullException.ThrowIfNull(timestamps);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(windows);
        if (timestamps.Count != values.Count)
        {
            throw new ArgumentException($"{timestamps.Count} timestamps but {values.Count} values.", nameof(values));
        }

        var error = TryMapWindows(timestamps.ToImmutableArray(), windows, out var sorted, out var rows);
        if (error is not null)
        {
            throw new ArgumentException(error, nameof(windows));
        }

        return new NabSeries
        {
            Category = category,
            Name = name,
            Timestamps = timestamps.ToImmutableArray(),
            Values = values.ToImmutableArray(),
            Windows = sorted,
            WindowRows = rows,
        };
    }

    /// <summary>
    /// Maps an inclusive timestamp window onto a contiguous run of rows, in file order: from the first row
    /// whose timestamp lies inside the window, through every following row until one lies after its end.
    /// </summary>
    /// <param name="timestamps">The row timestamps in file order; usually non-decreasing, but a clock may repeat or step back.</param>
    /// <param name="window">The window.</param>
    /// <returns>The rows, or <see langword="null"/> when no row falls inside the window.</returns>
    /// <remarks>
    /// For non-decreasing timestamps this is the first row at or after the start to the last row at or before
    /// the end. When the clock steps back inside a window (an hour repeated at a daylight-saving change), the
    /// repeated rows stay in the window, as NAB's own scorer, which walks rows in file order, treats them.
    /// </remarks>
    public static NabRowRange? MapWindow(ReadOnlySpan<DateTime> timestamps, NabWindow window)
    {
        var first = -1;
        for (var i = 0; i < timestamps.Length; i++)
        {
            if (timestamps[i] >= window.Start && timestamps[i] <= window.End)
            {
                first = i;
                break;
            }
        }

        if (first < 0)
        {
            return null;
        }

        var last = first;
        while (last + 1 < timestamps.Length && timestamps[last + 1] <= window.End)
        {
            last++;
        }

        return new NabRowRange(first, last);
    }

    /// <summary>Parses a NAB timestamp, <c>yyyy-MM-dd HH:mm:ss</c> with an optional ignored fractional part, as UTC.</summary>
    internal static bool TryParseTimestamp(ReadOnlySpan<char> text, out DateTime timestamp)
    {
        timestamp = default;
        text = text.Trim();
        if (text.Length < TimestampFormat.Length)
        {
            return false;
        }

        var rest = text[TimestampFormat.Length..];
        if (rest.Length > 0)
        {
            if (rest[0] != '.' || rest.Length == 1)
            {
                return false;
            }

            foreach (var c in rest[1..])
            {
                if (!char.IsAsciiDigit(c))
                {
                    return false;
                }
            }
        }

        return DateTime.TryParseExact(
            text[..TimestampFormat.Length],
            TimestampFormat,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out timestamp);
    }

    /// <summary>Parses the text of one CSV series file with header <c>timestamp,value</c>.</summary>
    internal static (List<DateTime> Timestamps, List<double> Values) ParseCsv(string path, string text)
    {
        var timestamps = new List<DateTime>();
        var values = new List<double>();
        var sawHeader = false;
        var lineNumber = 0;
        var remaining = text.AsSpan();
        while (remaining.Length > 0)
        {
            lineNumber++;
            var end = remaining.IndexOfAny('\r', '\n');
            ReadOnlySpan<char> line;
            if (end < 0)
            {
                line = remaining;
                remaining = default;
            }
            else
            {
                line = remaining[..end];
                var skip = remaining[end] == '\r' && end + 1 < remaining.Length && remaining[end + 1] == '\n' ? 2 : 1;
                remaining = remaining[(end + skip)..];
            }

            line = line.Trim();
            if (line.IsEmpty)
            {
                continue;
            }

            if (!sawHeader)
            {
                if (!line.Equals("timestamp,value", StringComparison.OrdinalIgnoreCase))
                {
                    throw new NabFormatException(path, lineNumber, $"expected the header 'timestamp,value' but found '{line}'.");
                }

                sawHeader = true;
                continue;
            }

            var comma = line.IndexOf(',');
            if (comma < 0 || line[(comma + 1)..].Contains(','))
            {
                throw new NabFormatException(path, lineNumber, $"expected two fields 'timestamp,value' but found '{line}'.");
            }

            if (!TryParseTimestamp(line[..comma], out var timestamp))
            {
                throw new NabFormatException(path, lineNumber, $"timestamp '{line[..comma]}' is not 'yyyy-MM-dd HH:mm:ss'.");
            }

            var valueText = line[(comma + 1)..].Trim();
            if (!double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            {
                throw new NabFormatException(path, lineNumber, $"value '{valueText}' is not a finite number.");
            }

            timestamps.Add(timestamp);
            values.Add(value);
        }

        if (!sawHeader)
        {
            throw new NabFormatException(path, null, "the file is empty: expected the header 'timestamp,value'.");
        }

        return (timestamps, values);
    }

    /// <summary>Parses the text of <c>windows.json</c>: an object mapping <c>category/name.csv</c> to <c>[[start, end], ...]</c>.</summary>
    internal static Dictionary<string, List<NabWindow>> ParseWindows(string path, string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            int? line = ex.LineNumber is { } zeroBased ? checked((int)zeroBased + 1) : null;
            throw new NabFormatException(path, line, "invalid JSON: " + ex.Message, ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new NabFormatException(path, null, $"expected an object mapping 'category/name.csv' to windows but found {root.ValueKind}.");
            }

            var result = new Dictionary<string, List<NabWindow>>(StringComparer.Ordinal);
            foreach (var entry in root.EnumerateObject())
            {
                var key = entry.Name.Replace('\\', '/');
                if (entry.Value.ValueKind != JsonValueKind.Array)
                {
                    throw new NabFormatException(path, null, $"'{entry.Name}': expected an array of [start, end] pairs but found {entry.Value.ValueKind}.");
                }

                var windows = new List<NabWindow>();
                var index = 0;
                foreach (var pair in entry.Value.EnumerateArray())
                {
                    var where = string.Create(CultureInfo.InvariantCulture, $"'{entry.Name}'[{index}]");
                    if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2)
                    {
                        throw new NabFormatException(path, null, $"{where}: expected a pair [\"start\", \"end\"].");
                    }

                    var start = ReadTimestamp(path, where, pair[0]);
                    var end = ReadTimestamp(path, where, pair[1]);
                    if (end < start)
                    {
                        throw new NabFormatException(path, null, $"{where}: the window ends before it starts.");
                    }

                    windows.Add(new NabWindow(start, end));
                    index++;
                }

                if (!result.TryAdd(key, windows))
                {
                    throw new NabFormatException(path, null, $"'{entry.Name}' appears twice.");
                }
            }

            return result;
        }
    }

    private static DateTime ReadTimestamp(string path, string where, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.String || !TryParseTimestamp(element.GetString(), out var timestamp))
        {
            throw new NabFormatException(path, null, $"{where}: {element.GetRawText()} is not a timestamp 'yyyy-MM-dd HH:mm:ss[.ffffff]'.");
        }

        return timestamp;
    }

    private static NabSeries CreateSeries(
        string category,
        string name,
        List<DateTime> timestamps,
        List<double> values,
        List<NabWindow> windows,
        string windowsPath)
    {
        var stamps = timestamps.ToImmutableArray();
        var error = TryMapWindows(stamps, windows, out var sorted, out var rows);
        if (error is not null)
        {
            throw new NabFormatException(windowsPath, null, $"'{category}/{name}': {error}");
        }

        return new NabSeries
        {
            Category = category,
            Name = name,
            Timestamps = stamps,
            Values = values.ToImmutableArray(),
            Windows = sorted,
            WindowRows = rows,
        };
    }

    private static string? TryMapWindows(
        ImmutableArray<DateTime> timestamps,
        IReadOnlyList<NabWindow> windows,
        out ImmutableArray<NabWindow> sorted,
        out ImmutableArray<NabRowRange> rows)
    {
        var ordered = windows.OrderBy(static w => w.Start).ThenBy(static w => w.End).ToImmutableArray();
        var ranges = ImmutableArray.CreateBuilder<NabRowRange>(ordered.Length);
        sorted = ordered;
        rows = default;
        for (var k = 0; k < ordered.Length; k++)
        {
            var window = ordered[k];
            if (window.End < window.Start)
            {
                return Describe(window) + " ends before it starts.";
            }

            if (MapWindow(timestamps.AsSpan(), window) is not { } range)
            {
                return Describe(window) + " contains no row of the file.";
            }

            if (k > 0 && range.First <= ranges[k - 1].Last)
            {
                return Describe(window) + " overlaps the window before it.";
            }

            ranges.Add(range);
        }

        rows = ranges.MoveToImmutable();
        return null;
    }

    private static string Describe(NabWindow window) =>
        string.Create(CultureInfo.InvariantCulture, $"window [{window.Start:yyyy-MM-dd HH:mm:ss}, {window.End:yyyy-MM-dd HH:mm:ss}]");
}
