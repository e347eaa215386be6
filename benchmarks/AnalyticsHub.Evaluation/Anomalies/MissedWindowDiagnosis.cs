using System.Globalization;
using AnalyticsHub.Anomalies;
using AnalyticsHub.Simulation.Traffic;

namespace AnalyticsHub.Evaluation.Anomalies;

/// <summary>
/// <c>anomaly-windows --replay &lt;dir&gt; --diagnose</c>: why each missed truth window is missed. Every detection series
/// the window's affected series matches is examined (its points inside the window), and the window gets the first
/// class that applies:
/// <list type="number">
/// <item><c>episode rules</c>: the detector alarmed inside the window, but the tracker dropped the pending episode (no
/// second evidenced window).</item>
/// <item><c>suppressed</c>: the score of a twin detector without alarm suppression reached the threshold inside the
/// window; <c>warm-up</c>: the window falls in the series' first points, before the detector scores.</item>
/// <item><c>too early</c> / <c>too late</c>: an episode on a matching series ends at most 30 minutes before the window,
/// or starts at most 30 minutes after it (and the scorer's slack).</item>
/// <item><c>no visible effect</c>: on every matching series the window's mean moves from the hour before by less than
/// <c>MinimumDeviation / √ShortWindow</c> of that hour's noise (the robust spread of its minute-to-minute changes / √2):
/// even the shift component, at the floor of its calibration, cannot reach an alarm.</item>
/// <item><c>scorer</c>: the effect is visible and an episode of the same model on another measurement opens inside the
/// window, which the scorer does not count; <c>below calibration</c>: the effect is visible, but no component's
/// deviation beat the largest one the series showed lately.</item>
/// </list>
/// </summary>
internal static class MissedWindowDiagnosis
{
    private static readonly TimeSpan Nearby = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan Before = TimeSpan.FromHours(1);

    /// <summary>An episode as the scorer sees it: series, span and (for listing) statistic.</summary>
    public sealed record Found(string Metric, IReadOnlyDictionary<string, string> Tags, DateTimeOffset Start, DateTimeOffset End, string Statistic = "");

    public static void Print(GroundTruth truth, List<Found> episodes, List<WindowRecording.SeriesLog> logs, AnomalyDetectorOptions detector, TimeSpan slack)
    {
        var visible = detector.MinimumDeviation / Math.Sqrt(detector.ShortWindow);
        var classes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var byTemplate = new SortedDictionary<string, SortedDictionary<string, int>>(StringComparer.Ordinal);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"missed windows, diagnosed (visible effect: |d| >= {visible:F2} noise sigma):"));
        foreach (var (template, series) in truth.Incidents.SelectMany(i => i.AffectedSeries.Select(s => (i.Template, s)))
            .Concat(truth.Distractors.SelectMany(d => d.AffectedSeries.Select(s => ("distractor", s)))))
        {
            foreach (var w in series.Windows)
            {
                if (episodes.Any(e => AnomalyWindowsCommand.Matches(e.Metric, e.Tags, series) && e.Start <= w.End + slack && e.End >= w.Start))
                {
                    continue;
                }

                var (label, detail) = Classify(series, w.Start, w.End, episodes, logs, detector, slack, visible);
                label = Cause(label, series, logs) + " " + label;
                classes[label] = classes.GetValueOrDefault(label) + 1;
                var perTemplate = byTemplate.TryGetValue(template, out var t) ? t : byTemplate[template] = new(StringComparer.Ordinal);
                perTemplate[label] = perTemplate.GetValueOrDefault(label) + 1;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {label,-21} {template} {series.Measurement} {string.Join(",", series.Tags.Select(p => p.Key + "=" + p.Value))} {w.Start:dd HH:mm}-{w.End:dd HH:mm}: {detail}"));
            }
        }

        Console.WriteLine("missed windows by class: " + string.Join(", ", classes.Select(p => p.Key + " " + p.Value)));
        foreach (var (template, counts) in byTemplate)
        {
            Console.WriteLine("  " + template + ": " + string.Join(", ", counts.Select(p => p.Key + " " + p.Value)));
        }

        Console.WriteLine();
        PrintFalse(truth, episodes, slack);
    }

    /// <summary>
    /// The cause of a missed window in four kinds: <c>(a)</c> the window is on a series the hub does not build (no
    /// detection series matches, or the truth's series is finer than every matching one: region or tenant, which are
    /// not metric dimensions) and the coarser series shows no visible effect; <c>(b)</c> the series is watched and the
    /// effect is below the detector's evidence (no visible effect, or below the calibration); <c>(c)</c> the detector
    /// alarmed (or would have, but for its suppression) and the stage's rules dropped the episode; <c>(d)</c> an episode
    /// exists but the scorer does not count it (too early, too late, or on another measurement of the same model).
    /// </summary>
    private static string Cause(string label, AffectedSeries series, List<WindowRecording.SeriesLog> logs) => label switch
    {
        "not watched" => "(a)",
        "no visible effect" when Finer(series, logs) => "(a)",
        "no visible effect" or "below calibration" or "warm-up" => "(b)",
        "episode rules" or "suppressed" => "(c)",
        _ => "(d)",
    };

    /// <summary>Whether the truth's series names a tag (region, tenant) that no matching detection series keeps.</summary>
    private static bool Finer(AffectedSeries series, List<WindowRecording.SeriesLog> logs) =>
        series.Tags.Keys.Any(k => k is "region" or "tenant" && !logs.Any(l => AnomalyWindowsCommand.Matches(l.Metric, l.Tags, series) && l.Tags.ContainsKey(k)));

    /// <summary>
    /// The episodes that hit no truth window, each with the first class that applies: <c>incident side effect</c> (it
    /// opens in an incident's or distractor's span, from 5 minutes before to 10 after, on a model the incident's series
    /// name, or any model when they name none: a real change the truth lists on another measurement), <c>batch
    /// hour</c> (it opens in a benign pattern's window, 5 minutes either side: the nightly batch, or another model at night), <c>first day</c> (before the timeline's
    /// first day ends: no daily profile yet, the day's ramp is new), else <c>later</c>.
    /// </summary>
    private static void PrintFalse(GroundTruth truth, List<Found> episodes, TimeSpan slack)
    {
        var spans = truth.Incidents.Select(i => (Template: i.Template, i.Start, i.End, i.AffectedSeries))
            .Concat(truth.Distractors.Select(d => (Template: "distractor", d.Start, d.End, d.AffectedSeries))).ToList();
        var classes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        Console.WriteLine("false episodes, classified:");
        foreach (var e in episodes)
        {
            if (spans.Any(s => s.AffectedSeries.Any(a => AnomalyWindowsCommand.Matches(e.Metric, e.Tags, a) && a.Windows.Any(w => e.Start <= w.End + slack && e.End >= w.Start))))
            {
                continue;
            }

            e.Tags.TryGetValue("model_id", out var model);
            var incident = spans.FirstOrDefault(s => e.Start >= s.Start - TimeSpan.FromMinutes(5) && e.Start <= s.End + TimeSpan.FromMinutes(10)
                && (model is null || s.AffectedSeries.All(a => !a.Tags.ContainsKey("model_id")) || s.AffectedSeries.Any(a => a.Tags.TryGetValue("model_id", out var m) && m == model)));
            var label = incident.Template is { } template ? "incident side effect (" + template + ")"
                : truth.BenignPatterns.Any(b => b.Windows.Any(w => e.Start >= w.Start - TimeSpan.FromMinutes(5) && e.Start <= w.End + TimeSpan.FromMinutes(5))) ? "batch hour"
                : e.Start < truth.Start + TimeSpan.FromDays(1) ? "first day"
                : "later";
            classes[label] = classes.GetValueOrDefault(label) + 1;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {label,-40} {e.Statistic}({e.Metric}) {Describe(e.Tags)} {e.Start:dd HH:mm}-{e.End:dd HH:mm}"));
        }

        Console.WriteLine("false episodes by class: " + string.Join(", ", classes.Select(p => p.Key + " " + p.Value)));
        Console.WriteLine();
    }

    private static (string Label, string Detail) Classify(
        AffectedSeries series,
        DateTimeOffset start,
        DateTimeOffset end,
        List<Found> episodes,
        List<WindowRecording.SeriesLog> logs,
        AnomalyDetectorOptions detector,
        TimeSpan slack,
        double visible)
    {
        var candidates = logs.Where(l => AnomalyWindowsCommand.Matches(l.Metric, l.Tags, series)).ToList();
        if (candidates.Count == 0)
        {
            return ("not watched", "no detection series matches");
        }

        // Over every matching series: the largest effect, the largest scores, and whether any point alarmed, was
        // suppressed or came before the warm-up ended.
        string best = "";
        double bestEffect = double.NaN, maxScore = 0, maxRaw = 0;
        bool alarm = false, suppressed = false, cold = false;
        foreach (var log in candidates)
        {
            // A window several series match (a tenant's cost matches every model's) takes an alarm only from a series
            // that shows the effect: an alarm of an unmoved series is not the window's.
            var effect = Effect(log, start, end);
            var moved = candidates.Count == 1 || double.IsNaN(effect) || Math.Abs(effect) >= visible;
            foreach (var p in log.Points.Where(p => p.Ticks >= start.UtcTicks && p.Ticks < end.UtcTicks))
            {
                maxScore = Math.Max(maxScore, p.Score);
                maxRaw = Math.Max(maxRaw, p.Raw);
                alarm |= moved && p.IsAnomaly;
                suppressed |= moved && p.Warm && !p.IsAnomaly && p.Raw >= detector.Threshold;
                cold |= moved && !p.Warm;
            }

            if (double.IsNaN(bestEffect) || (!double.IsNaN(effect) && Math.Abs(effect) > Math.Abs(bestEffect)))
            {
                bestEffect = effect;
                best = AnomalySeriesRule.StatisticName(log.Statistic) + "(" + log.Metric + ") " + Describe(log.Tags);
            }
        }

        var detail = string.Create(CultureInfo.InvariantCulture, $"d={bestEffect:F2} on {best}, max score {maxScore:F2}, unsuppressed {maxRaw:F2}, {candidates.Count} series");
        var other = episodes.FirstOrDefault(e => e.Start >= start - slack && e.Start <= end && SameModel(e.Tags, series));
        if (other is not null)
        {
            detail += string.Create(CultureInfo.InvariantCulture, $"; the model's {Span(other)} opens in the window");
        }

        if (alarm)
        {
            return ("episode rules", detail);
        }

        if (suppressed || cold)
        {
            return (suppressed ? "suppressed" : "warm-up", detail);
        }

        var matching = episodes.Where(e => AnomalyWindowsCommand.Matches(e.Metric, e.Tags, series)).ToList();
        if (matching.FirstOrDefault(e => e.End < start && e.End >= start - Nearby) is { } early)
        {
            return ("too early", detail + string.Create(CultureInfo.InvariantCulture, $"; episode {early.Metric} {early.Start:dd HH:mm}-{early.End:dd HH:mm}"));
        }

        if (matching.FirstOrDefault(e => e.Start > end + slack && e.Start <= end + slack + Nearby) is { } late)
        {
            return ("too late", detail + string.Create(CultureInfo.InvariantCulture, $"; episode {late.Metric} {late.Start:dd HH:mm}-{late.End:dd HH:mm}"));
        }

        if (double.IsNaN(bestEffect) || Math.Abs(bestEffect) < visible)
        {
            return ("no visible effect", detail);
        }

        return (other is not null ? "scorer" : "below calibration", detail);

        static string Span(Found e) => string.Create(CultureInfo.InvariantCulture, $"{e.Metric} {e.Start:dd HH:mm}-{e.End:dd HH:mm}");
    }

    /// <summary>
    /// The window's effect size on one series: (mean over the window − mean of the hour before) / the hour's noise, the
    /// robust spread (1.4826 × MAD) of its minute-to-minute changes / √2, which a slow daily ramp does not inflate.
    /// NaN when the hour before has fewer than 10 points or the window none.
    /// </summary>
    internal static double Effect(WindowRecording.SeriesLog log, DateTimeOffset start, DateTimeOffset end)
    {
        var before = log.Points.Where(p => p.Ticks >= (start - Before).UtcTicks && p.Ticks < start.UtcTicks).Select(p => p.Value).ToArray();
        var inside = log.Points.Where(p => p.Ticks >= start.UtcTicks && p.Ticks < end.UtcTicks).Select(p => p.Value).ToArray();
        if (before.Length < 10 || inside.Length == 0)
        {
            return double.NaN;
        }

        var changes = new double[before.Length - 1];
        for (var i = 1; i < before.Length; i++)
        {
            changes[i - 1] = before[i] - before[i - 1];
        }

        var median = Median(changes);
        var mad = Median([.. changes.Select(c => Math.Abs(c - median))]);
        var baseline = before.Average();
        var noise = 1.4826 * mad / Math.Sqrt(2);
        if (noise <= 1e-12 * (1 + Math.Abs(baseline)))
        {
            // A flat hour (a series of zeros, a constant rate): its standard deviation, else any change is visible.
            noise = Math.Sqrt(before.Select(v => (v - baseline) * (v - baseline)).Average());
        }

        var change = inside.Average() - baseline;
        return noise > 1e-12 * (1 + Math.Abs(baseline)) ? change / noise : (Math.Abs(change) > 1e-12 ? double.PositiveInfinity * Math.Sign(change) : 0);
    }

    private static double Median(double[] values)
    {
        Array.Sort(values);
        var n = values.Length;
        return n == 0 ? 0 : n % 2 == 1 ? values[n / 2] : (values[(n / 2) - 1] + values[n / 2]) / 2;
    }

    private static bool SameModel(IReadOnlyDictionary<string, string> tags, AffectedSeries series) =>
        series.Tags.TryGetValue("model_id", out var model) && tags.TryGetValue("model_id", out var actual) && actual == model;

    private static string Describe(IReadOnlyDictionary<string, string> tags) =>
        string.Join(",", tags.Where(p => p.Key is "model_id" or "region" or "tenant").Select(p => p.Key + "=" + p.Value));
}
