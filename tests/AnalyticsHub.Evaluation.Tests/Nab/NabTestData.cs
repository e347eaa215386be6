using AnalyticsHub.Evaluation.Nab;

namespace AnalyticsHub.Evaluation.Tests.Nab;

/// <summary>Builds small synthetic NAB series in memory: rows every 5 minutes, windows given as row ranges.</summary>
internal static class NabTestData
{
    public static readonly DateTime Origin = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static DateTime At(int row) => Origin.AddMinutes(5 * row);

    public static NabSeries Series(int rows, params (int First, int Last)[] windows) =>
        Series("cat", "file.csv", rows, windows);

    public static NabSeries Series(string category, string name, int rows, params (int First, int Last)[] windows)
    {
        var timestamps = Enumerable.Range(0, rows).Select(At).ToArray();
        var values = new double[rows];
        var labels = windows.Select(w => new NabWindow(At(w.First), At(w.Last))).ToArray();
        return NabLoader.CreateSeries(category, name, timestamps, values, labels);
    }

    /// <summary>Scores that are 1 at the given rows and 0 elsewhere.</summary>
    public static double[] DetectionsAt(int rows, params int[] detected)
    {
        var scores = new double[rows];
        foreach (var row in detected)
        {
            scores[row] = 1.0;
        }

        return scores;
    }

    /// <summary>NAB's scaled sigmoid written independently: 2/(1+e^(5y)) - 1 is -tanh(5y/2).</summary>
    public static double Sigma(double y) => y > 3 ? -1.0 : -Math.Tanh(2.5 * y);
}
