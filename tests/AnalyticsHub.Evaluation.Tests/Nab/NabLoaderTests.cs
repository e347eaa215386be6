using AnalyticsHub.Evaluation.Nab;
using AnalyticsHub.Events;

namespace AnalyticsHub.Evaluation.Tests.Nab;

public sealed class NabLoaderTests : IDisposable
{
    private readonly TempNabFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Load_CrlfAndMissingFinalNewline_ReadsEveryRow()
    {
        _folder.WriteCsv("realAdExchange", "crlf.csv", "timestamp,value\r\n2011-07-01 00:00:01,0.5\r\n2011-07-01 01:00:01,1.25\r\n");
        _folder.WriteCsv("realTweets", "nofinal.csv", "timestamp,value\n2015-02-26 21:42:53,3\n2015-02-26 21:47:53,0");
        _folder.WriteWindows("""{"realAdExchange/crlf.csv": [], "realTweets/nofinal.csv": []}""");

        var corpus = NabLoader.Load(_folder.Root);

        Assert.Equal(2, corpus.Series.Length);
        var crlf = corpus.Series[0];
        Assert.Equal("realAdExchange/crlf.csv", crlf.Key);
        Assert.Equal([0.5, 1.25], crlf.Values.ToArray());
        Assert.Equal(new DateTime(2011, 7, 1, 1, 0, 1, DateTimeKind.Utc), crlf.Timestamps[1]);
        Assert.Equal(DateTimeKind.Utc, crlf.Timestamps[1].Kind);
        var noFinal = corpus.Series[1];
        Assert.Equal([3.0, 0.0], noFinal.Values.ToArray());
        Assert.Equal(4, corpus.RowCount);
    }

    [Fact]
    public void Load_FractionalSecondsInWindows_AreIgnoredAndWindowsAreInclusive()
    {
        _folder.WriteCsv("art", "a.csv", Csv(10, minutes: 5));
        _folder.WriteWindows("""{"art/a.csv": [["2024-01-01 00:10:00.000000", "2024-01-01 00:25:00.000000"]]}""");

        var series = NabLoader.Load(_folder.Root).Series[0];

        Assert.Equal(new NabRowRange(2, 5), Assert.Single(series.WindowRows));
        Assert.Equal(1, NabLoader.Load(_folder.Root).WindowCount);
    }

    [Fact]
    public void Load_WindowEdgesInGaps_MapToFirstRowAtOrAfterStartAndLastAtOrBeforeEnd()
    {
        // Irregular steps with a gap from 00:10 to 01:00.
        _folder.WriteCsv("realTraffic", "gaps.csv", """
            timestamp,value
            2024-01-01 00:00:00,1
            2024-01-01 00:03:00,2
            2024-01-01 00:10:00,3
            2024-01-01 01:00:00,4
            2024-01-01 01:07:00,5
            2024-01-01 01:20:00,6
            """);
        _folder.WriteWindows("""{"realTraffic/gaps.csv": [["2024-01-01 00:30:00", "2024-01-01 01:10:00"]]}""");

        var series = NabLoader.Load(_folder.Root).Series[0];

        Assert.Equal(new NabRowRange(3, 4), series.WindowRows[0]);
    }

    [Fact]
    public void Load_WindowsOutOfOrder_AreSortedByStart()
    {
        _folder.WriteCsv("art", "a.csv", Csv(20, minutes: 5));
        _folder.WriteWindows("""
            {"art/a.csv": [["2024-01-01 01:00:00", "2024-01-01 01:10:00"], ["2024-01-01 00:05:00", "2024-01-01 00:10:00"]]}
            """);

        var series = NabLoader.Load(_folder.Root).Series[0];

        Assert.Equal([new NabRowRange(1, 2), new NabRowRange(12, 14)], series.WindowRows.ToArray());
    }

    [Fact]
    public void Load_BadHeader_ThrowsWithFileAndLine()
    {
        var path = _folder.WriteCsv("art", "a.csv", "\ntime,value\n2024-01-01 00:00:00,1\n");
        _folder.WriteWindows("""{"art/a.csv": []}""");

        var ex = Assert.Throws<NabFormatException>(() => NabLoader.Load(_folder.Root));

        Assert.Equal(path, ex.FilePath);
        Assert.Equal(2, ex.LineNumber);
        Assert.Contains("timestamp,value", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2024-01-01 00:00:00,1\r\n2024-13-01 00:05:00,2", 3, "timestamp")]
    [InlineData("2024-01-01 00:00:00,1\r\n2024-01-01T00:05:00,2", 3, "timestamp")]
    [InlineData("2024-01-01 00:00:00,1\r\n2024-01-01 00:05:00,abc", 3, "value")]
    [InlineData("2024-01-01 00:00:00,NaN", 2, "value")]
    [InlineData("2024-01-01 00:00:00,1,2", 2, "two fields")]
    [InlineData("2024-01-01 00:00:00", 2, "two fields")]
    public void Load_MalformedRow_ThrowsWithFileAndLine(string rows, int line, string problem)
    {
        var path = _folder.WriteCsv("art", "a.csv", "timestamp,value\r\n" + rows);
        _folder.WriteWindows("""{"art/a.csv": []}""");

        var ex = Assert.Throws<NabFormatException>(() => NabLoader.Load(_folder.Root));

        Assert.Equal(path, ex.FilePath);
        Assert.Equal(line, ex.LineNumber);
        Assert.Contains(problem, ex.Problem, StringComparison.Ordinal);
        Assert.StartsWith($"{path}({line}): ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ClockStepsBackAnHour_KeepsEveryRowInFileOrder()
    {
        // A daylight-saving change: 01:00-02:55 every 5 minutes, then 02:00-02:55 again, then on to 04:00.
        var stamps = Stamps(new DateTime(2024, 10, 27, 1, 0, 0), 24)
            .Concat(Stamps(new DateTime(2024, 10, 27, 2, 0, 0), 12))
            .Concat(Stamps(new DateTime(2024, 10, 27, 3, 0, 0), 13))
            .ToArray();
        _folder.WriteCsv("realKnown", "dst.csv", CsvOf(stamps));
        _folder.WriteWindows("""{"realKnown/dst.csv": [["2024-10-27 02:30:00", "2024-10-27 03:10:00"]]}""");

        var series = NabLoader.Load(_folder.Root).Series[0];

        Assert.Equal(stamps.Length, series.RowCount);
        Assert.Equal(stamps, series.Timestamps.ToArray());
        Assert.Equal(Enumerable.Range(0, stamps.Length).Select(static i => (double)i), series.Values.ToArray());
        // From the first 02:30 (row 18) through the repeated hour (rows 24-35) to 03:10 (row 38).
        Assert.Equal(new NabRowRange(18, 38), Assert.Single(series.WindowRows));
    }

    [Fact]
    public void Load_RepeatedTimestampsAndGapsOfDays_KeepEveryRowAndMapWindowsByFileOrder()
    {
        var day = new DateTime(2024, 3, 1, 0, 0, 0);
        DateTime[] stamps =
        [
            day, day.AddMinutes(5), day.AddMinutes(5), day.AddMinutes(5), day.AddMinutes(10),
            day.AddDays(3), day.AddDays(3), day.AddDays(3).AddMinutes(5), day.AddDays(9), day.AddDays(9).AddMinutes(5),
        ];
        _folder.WriteCsv("realTraffic", "gaps.csv", CsvOf(stamps));
        _folder.WriteWindows("""{"realTraffic/gaps.csv": [["2024-03-01 00:05:00", "2024-03-01 00:05:00"], ["2024-03-02 00:00:00", "2024-03-04 00:05:00"]]}""");

        var series = NabLoader.Load(_folder.Root).Series[0];

        Assert.Equal(10, series.RowCount);
        Assert.Equal([new NabRowRange(1, 3), new NabRowRange(5, 7)], series.WindowRows.ToArray());
    }

    [Fact]
    public void Load_ClockStepsBack_TheRunnerFeedsRowsInFileOrderAndScoresEveryRow()
    {
        var stamps = Stamps(new DateTime(2024, 10, 27, 0, 0, 0), 200)
            .Concat(Stamps(new DateTime(2024, 10, 27, 15, 0, 0), 12))
            .Concat(Stamps(new DateTime(2024, 10, 27, 17, 0, 0), 100))
            .ToArray();
        _folder.WriteCsv("realKnown", "back.csv", CsvOf(stamps));
        _folder.WriteWindows("""{"realKnown/back.csv": []}""");
        var corpus = NabLoader.Load(_folder.Root);

        var run = NabRunner.Run(corpus, GetDefault());

        Assert.Equal(stamps.Length, Assert.Single(run.Files).Scores.Length);
        Assert.All(run.Files[0].Scores, static s => Assert.InRange(s, 0.0, 1.0));
    }

    [Fact]
    public void Load_InvalidJson_ThrowsWithWindowsFileAndLine()
    {
        _folder.WriteCsv("art", "a.csv", Csv(3, minutes: 5));
        _folder.WriteWindows("{\n  \"art/a.csv\": [\n  [\"2024-01-01 00:00:00\" \"x\"]\n}");

        var ex = Assert.Throws<NabFormatException>(() => NabLoader.Load(_folder.Root));

        Assert.Equal(_folder.WindowsPath, ex.FilePath);
        Assert.Equal(3, ex.LineNumber);
    }

    [Theory]
    [InlineData("""{"art/a.csv": [["2024-01-01 00:00:00"]]}""", "pair")]
    [InlineData("""{"art/a.csv": [["2024-01-01", "2024-01-01 00:10:00"]]}""", "not a timestamp")]
    [InlineData("""{"art/a.csv": [["2024-01-01 00:10:00", "2024-01-01 00:00:00"]]}""", "ends before it starts")]
    [InlineData("""{"art/a.csv": [["2025-01-01 00:00:00", "2025-01-01 01:00:00"]]}""", "contains no row")]
    [InlineData("""{"art/a.csv": [["2024-01-01 00:00:00", "2024-01-01 00:05:00"], ["2024-01-01 00:05:00", "2024-01-01 00:10:00"]]}""", "overlaps")]
    [InlineData("""{"art/a.csv": {}}""", "array")]
    [InlineData("""[]""", "object")]
    [InlineData("""{}""", "no entry for data file 'art/a.csv'")]
    [InlineData("""{"art/a.csv": [], "art/missing.csv": []}""", "names no file")]
    public void Load_BadWindows_ThrowsNamingTheWindowsFile(string json, string problem)
    {
        _folder.WriteCsv("art", "a.csv", Csv(3, minutes: 5));
        _folder.WriteWindows(json);

        var ex = Assert.Throws<NabFormatException>(() => NabLoader.Load(_folder.Root));

        Assert.Equal(_folder.WindowsPath, ex.FilePath);
        Assert.Contains(problem, ex.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FolderWithoutData_ThrowsDirectoryNotFound()
    {
        Directory.Delete(Path.Combine(_folder.Root, "data"));

        Assert.Throws<DirectoryNotFoundException>(() => NabLoader.Load(_folder.Root));
    }

    [Fact]
    public void Load_FolderWithoutWindowsFile_ThrowsFileNotFound()
    {
        _folder.WriteCsv("art", "a.csv", Csv(3, minutes: 5));

        Assert.Throws<FileNotFoundException>(() => NabLoader.Load(_folder.Root));
    }

    [Theory]
    [InlineData("2014-03-14 03:31:00", true)]
    [InlineData("2014-03-14 03:31:00.000000", true)]
    [InlineData("2014-03-14 03:31:00.5", true)]
    [InlineData(" 2014-03-14 03:31:00 ", true)]
    [InlineData("2014-03-14 03:31:00.", false)]
    [InlineData("2014-03-14 03:31:00Z", false)]
    [InlineData("2014-03-14 03:31", false)]
    [InlineData("2014-02-30 00:00:00", false)]
    public void TryParseTimestamp_Text_AcceptsOnlyNabFormatIgnoringFraction(string text, bool ok)
    {
        Assert.Equal(ok, NabLoader.TryParseTimestamp(text, out var timestamp));
        if (ok)
        {
            Assert.Equal(new DateTime(2014, 3, 14, 3, 31, 0, DateTimeKind.Utc), timestamp);
        }
    }

    [Fact]
    public void CreateSeries_RowsGoingBackInTime_KeepsFileOrder()
    {
        var t = NabTestData.Origin;

        var series = NabLoader.CreateSeries("c", "n", [t.AddMinutes(5), t], [1.0, 2.0], []);

        Assert.Equal([t.AddMinutes(5), t], series.Timestamps.ToArray());
        Assert.Equal([1.0, 2.0], series.Values.ToArray());
    }

    [Fact]
    public void MapWindow_NonDecreasingTimestamps_MatchesBinarySearchBounds()
    {
        var t = NabTestData.Origin;
        DateTime[] stamps = [t, t.AddMinutes(5), t.AddMinutes(5), t.AddMinutes(20), t.AddMinutes(25), t.AddHours(2)];

        Assert.Equal(new NabRowRange(1, 3), NabLoader.MapWindow(stamps, new NabWindow(t.AddMinutes(1), t.AddMinutes(20))));
        Assert.Equal(new NabRowRange(3, 4), NabLoader.MapWindow(stamps, new NabWindow(t.AddMinutes(6), t.AddHours(1))));
        Assert.Null(NabLoader.MapWindow(stamps, new NabWindow(t.AddMinutes(30), t.AddMinutes(90))));
    }

    private static StreamingAnomalyScorerRegistration GetDefault()
    {
        Assert.True(NabCommand.CreateRegistry().TryGet("default", out var registration));
        return registration;
    }

    private static IEnumerable<DateTime> Stamps(DateTime first, int count) =>
        Enumerable.Range(0, count).Select(i => first.AddMinutes(5 * i));

    private static string CsvOf(IReadOnlyList<DateTime> stamps) =>
        "timestamp,value\n" + string.Join('\n', stamps.Select(static (t, i) => t.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + "," + i)) + "\n";

    private static string Csv(int rows, int minutes)
    {
        var lines = Enumerable.Range(0, rows)
            .Select(i => NabTestData.Origin.AddMinutes(minutes * i).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + "," + i);
        return "timestamp,value\n" + string.Join('\n', lines) + "\n";
    }
}
