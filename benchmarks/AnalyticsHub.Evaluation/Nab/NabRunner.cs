using AnalyticsHub.Anomalies;

namespace AnalyticsHub.Evaluation.Nab;

/// <summary>Runs streaming detectors over NAB series: each file, row by row, through a fresh detector.</summary>
public static class NabRunner
{
    /// <summary>Feeds every row of a series, in order, to a detector and collects its scores.</summary>
    /// <param name="series">The series.</param>
    /// <param name="detector">A fresh detector for this series.</param>
    /// <returns>One score per row (<see cref="AnomalyResult.Score"/>).</returns>
    /// <remarks>NAB timestamps carry no zone and are read as UTC.</remarks>
    public static double[] ScoreSeries(NabSeries series, IStreamingAnomalyDetector detector)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(detector);
        var timestamps = series.Timestamps.AsSpan();
        var values = series.Values.AsSpan();
        var scores = new double[timestamps.Length];
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = detector.Update(new DateTimeOffset(DateTime.SpecifyKind(timestamps[i], DateTimeKind.Utc)), values[i]).Score;
        }

        return scores;
    }

    /// <summary>Runs a detector over every file of a corpus, a fresh instance per file, and scores it.</summary>
    /// <param name="corpus">The labelled corpus.</param>
    /// <param name="detector">The detector.</param>
    /// <param name="threshold">The threshold to score at, or <see langword="null"/> for the detector's frozen default.</param>
    /// <returns>The run with per-file scores and tallies.</returns>
    public static NabRun Run(NabCorpus corpus, StreamingAnomalyScorerRegistration detector, double? threshold = null)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(detector);
        var at = threshold ?? detector.DefaultThreshold;
        var files = new NabFileResult[corpus.Series.Length];
        for (var f = 0; f < files.Length; f++)
        {
            var series = corpus.Series[f];
            var scores = ScoreSeries(series, detector.Create());
            files[f] = new NabFileResult { Series = series, Scores = scores, Tally = NabScorer.ScoreFile(series, scores, at) };
        }

        return new NabRun { Detector = detector.Name, Threshold = at, Files = files };
    }
}
