using System.Text.Json;
using AnalyticsHub.Anomalies;

namespace AnalyticsHub.Tests.Anomalies;

public sealed class DefaultAnomalyDetectorTests
{
    private const int Onset = 2000;

    [Fact]
    public void Update_SpikeInNoise_DetectedAtTheSpikeAsSpike()
    {
        var values = SyntheticSeries.Noise(2500, seed: 1);
        values[Onset] += 30;

        var alarms = Alarms(values);

        var alarm = Assert.Single(alarms);
        Assert.Equal(Onset, alarm.Index);
        Assert.Equal(AnomalyType.Spike, alarm.Result.Type);
        Assert.True(alarm.Result.Score is >= AnomalyDetectorOptions.DefaultThreshold and <= 1.0);
        Assert.Equal(30, alarm.Result.Deviation, 1.0);
        Assert.True(alarm.Result.Upper < values[Onset]);
    }

    [Fact]
    public void Update_DropInNoise_DetectedAtTheDropAsDrop()
    {
        var values = SyntheticSeries.Noise(2500, seed: 2);
        values[Onset] -= 30;

        var alarm = Assert.Single(Alarms(values));

        Assert.Equal(Onset, alarm.Index);
        Assert.Equal(AnomalyType.Drop, alarm.Result.Type);
        Assert.True(alarm.Result.Deviation < -25);
        Assert.True(alarm.Result.Lower > values[Onset]);
    }

    [Theory]
    [InlineData(5.0)]
    [InlineData(-5.0)]
    public void Update_LevelShift_DetectedWithinTheShortWindowInItsDirection(double shift)
    {
        var values = SyntheticSeries.Noise(2600, seed: 3);
        for (var i = Onset; i < values.Length; i++)
        {
            values[i] += shift;
        }

        var alarms = Alarms(values);

        Assert.NotEmpty(alarms);
        var first = alarms[0];
        Assert.InRange(first.Index, Onset, Onset + AnomalyDetectorOptions.Default.ShortWindow);
        // Caught at its first points, a shift is named by its direction; once the short mean has moved, as a shift.
        Assert.Contains(first.Result.Type, new[] { shift > 0 ? AnomalyType.Spike : AnomalyType.Drop, AnomalyType.DistributionShift });
        Assert.Equal(Math.Sign(shift), Math.Sign(first.Result.Deviation));
    }

    [Fact]
    public void Update_FlatlineInDailySeries_DetectedAsPatternDeviation()
    {
        var values = SyntheticSeries.Daily(7 * SyntheticSeries.PerDay, seed: 4);
        var start = (5 * SyntheticSeries.PerDay) + (SyntheticSeries.PerDay / 8);
        for (var i = start; i < start + (SyntheticSeries.PerDay / 2); i++)
        {
            values[i] = values[start];
        }

        var alarms = Alarms(values, from: SyntheticSeries.PerDay);

        Assert.NotEmpty(alarms);
        // The flat value equals the profile at the start; it is caught once the day should have moved away from it, by the
        // point against the profile or by the short mean against it (a shift judged against the daily profile).
        var first = alarms[0];
        Assert.InRange(first.Index, start, start + (SyntheticSeries.PerDay / 2));
        Assert.Contains(first.Result.Type, new[] { AnomalyType.PatternDeviation, AnomalyType.DistributionShift });
        Assert.InRange(first.Result.Expected - SyntheticSeries.DailyShape(first.Index), -2.0, 2.0);
    }

    [Fact]
    public void Update_MissedDailyPeak_DetectedInsideThePeakAsPatternDeviation()
    {
        var values = SyntheticSeries.Daily(7 * SyntheticSeries.PerDay, seed: 5);
        var day = 5 * SyntheticSeries.PerDay;
        var peakStart = day + (SyntheticSeries.PerDay / 8);
        var peakEnd = day + (3 * SyntheticSeries.PerDay / 8);
        for (var i = peakStart; i < peakEnd; i++)
        {
            values[i] -= SyntheticSeries.DailyShape(i) - 100;
        }

        var alarms = Alarms(values, from: SyntheticSeries.PerDay);

        Assert.NotEmpty(alarms);
        Assert.InRange(alarms[0].Index, peakStart, peakEnd);
        Assert.Equal(AnomalyType.PatternDeviation, alarms[0].Result.Type);
        Assert.True(alarms[0].Result.Expected > values[alarms[0].Index]);
    }

    [Fact]
    public void Update_FrequencyChangeWithActivityComponent_DetectedAsFrequencyAnomaly()
    {
        var options = AnomalyDetectorOptions.Default with { Components = AnomalyDetectorComponents.Activity, MinimumDeviation = 4 };
        var values = SyntheticSeries.Noise(2600, seed: 6, sigma: 0.1);
        for (var i = Onset; i < values.Length; i++)
        {
            values[i] += i % 2 == 0 ? 0.8 : -0.8;
        }

        var alarms = Alarms(values, options);

        Assert.NotEmpty(alarms);
        Assert.InRange(alarms[0].Index, Onset, Onset + options.ShortWindow);
        Assert.Equal(AnomalyType.FrequencyAnomaly, alarms[0].Result.Type);
    }

    [Fact]
    public void Update_NovelShapeWithNeighboursComponent_DetectedAsPatternDeviation()
    {
        // A rising sawtooth of period 20; at the onset one period falls instead: every value stays in the usual range.
        var options = AnomalyDetectorOptions.Default with { Components = AnomalyDetectorComponents.Neighbours };
        var random = new Random(7);
        var values = new double[2600];
        for (var i = 0; i < values.Length; i++)
        {
            var phase = i % 20;
            var shape = i >= Onset && i < Onset + 20 ? 19 - phase : phase;
            values[i] = 100 + shape + (0.05 * SyntheticSeries.Gaussian(random));
        }

        var alarms = Alarms(values, options);

        var alarm = Assert.Single(alarms);
        Assert.InRange(alarm.Index, Onset, Onset + 20);
        Assert.Equal(AnomalyType.PatternDeviation, alarm.Result.Type);
        Assert.Empty(Alarms(values, AnomalyDetectorOptions.Default with { Components = AnomalyDetectorComponents.Level }));
    }

    [Fact]
    public void Update_LatePoint_IsCountedAndNeitherScoredNorLearned()
    {
        var values = SyntheticSeries.Daily(3000, seed: 91);
        var withLate = new DefaultAnomalyDetector(AnomalyDetectorOptions.Default with { Components = AnomalyDetectorComponents.All });
        var clean = new DefaultAnomalyDetector(AnomalyDetectorOptions.Default with { Components = AnomalyDetectorComponents.All });
        for (var i = 0; i < 2000; i++)
        {
            Assert.Equal(clean.Update(SyntheticSeries.At(i), values[i]), withLate.Update(SyntheticSeries.At(i), values[i]));
        }

        // An hour late, far off the usual values: it would raise an alarm and move the profile if it were learned.
        var late = withLate.Update(SyntheticSeries.At(1988), 10_000);

        Assert.Equal(0.0, late.Score);
        Assert.False(late.IsAnomaly);
        Assert.Equal(1, withLate.LatePoints);
        Assert.Equal(2000, withLate.PointsSeen);
        for (var i = 2000; i < values.Length; i++)
        {
            Assert.Equal(clean.Update(SyntheticSeries.At(i), values[i]), withLate.Update(SyntheticSeries.At(i), values[i]));
        }
    }

    [Fact]
    public void Update_RepeatedTimestamp_IsNotLate()
    {
        var detector = new DefaultAnomalyDetector();
        detector.Update(SyntheticSeries.At(0), 1.0);
        detector.Update(SyntheticSeries.At(1), 2.0);

        detector.Update(SyntheticSeries.At(1), 3.0);

        Assert.Equal(0, detector.LatePoints);
        Assert.Equal(3, detector.PointsSeen);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void Update_CleanNoise_RaisesNoAlarm(int seed)
    {
        Assert.Empty(Alarms(SyntheticSeries.Noise(6000, seed)));
    }

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    public void Update_CleanDailySeriesAfterItsFirstDay_RaisesNoAlarm(int seed)
    {
        // The first daily cycle is new to the detector (the profile needs a day); from then on it is known.
        Assert.Empty(Alarms(SyntheticSeries.Daily(10 * SyntheticSeries.PerDay, seed), from: SyntheticSeries.PerDay));
    }

    [Fact]
    public void Update_ConstantSeries_RaisesNoAlarm()
    {
        var values = new double[3000];
        Array.Fill(values, 45.0);

        Assert.Empty(Alarms(values));
    }

    [Fact]
    public void Update_IrregularStepsAndGaps_StaysQuietAndStillFindsASpike()
    {
        var random = new Random(31);
        var detector = new DefaultAnomalyDetector();
        var time = SyntheticSeries.Origin;
        var alarms = new List<int>();
        for (var i = 0; i < 4000; i++)
        {
            time += TimeSpan.FromSeconds(30 + random.Next(600));
            if (i % 700 == 699)
            {
                time += TimeSpan.FromHours(6 + random.Next(48));
            }

            var value = 50 + SyntheticSeries.Gaussian(random) + (i == 3500 ? 40 : 0);
            var result = detector.Update(time, value);
            Assert.InRange(result.Score, 0.0, 1.0);
            Assert.True(double.IsFinite(result.Expected) && double.IsFinite(result.Lower) && double.IsFinite(result.Upper));
            if (result.IsAnomaly)
            {
                alarms.Add(i);
            }
        }

        Assert.Equal([3500], alarms);
    }

    [Fact]
    public void Update_NonFiniteValue_ScoresZeroAndIsNotLearned()
    {
        var detector = new DefaultAnomalyDetector();
        detector.Update(SyntheticSeries.At(0), 1.0);

        var result = detector.Update(SyntheticSeries.At(1), double.NaN);

        Assert.Equal(0.0, result.Score);
        Assert.False(result.IsAnomaly);
        Assert.Equal(1, detector.PointsSeen);
    }

    [Fact]
    public void Update_WarmUp_ScoresZero()
    {
        var detector = new DefaultAnomalyDetector();
        var values = SyntheticSeries.Noise(AnomalyDetectorOptions.Default.WarmUpPoints, seed: 41);
        values[^1] += 1000;

        for (var i = 0; i < values.Length; i++)
        {
            Assert.Equal(0.0, detector.Update(SyntheticSeries.At(i), values[i]).Score);
        }
    }

    [Fact]
    public void StateSizeBytes_AfterWarmUp_StaysConstant()
    {
        var detector = new DefaultAnomalyDetector();
        var initial = detector.StateSizeBytes;
        var values = SyntheticSeries.Daily(20_000, seed: 51);
        var sizes = new List<int>();
        for (var i = 0; i < values.Length; i++)
        {
            detector.Update(SyntheticSeries.At(i), values[i]);
            if (i % 5000 == 4999)
            {
                sizes.Add(detector.StateSizeBytes);
            }
        }

        Assert.All(sizes, size => Assert.Equal(initial, size));
        Assert.InRange(initial, 1, 64 * 1024);
    }

    [Fact]
    public void Update_SameSeriesTwice_GivesIdenticalResults()
    {
        var values = SyntheticSeries.Daily(3000, seed: 61);
        values[2500] += 20;
        var first = new DefaultAnomalyDetector();
        var second = new DefaultAnomalyDetector();

        for (var i = 0; i < values.Length; i++)
        {
            Assert.Equal(first.Update(SyntheticSeries.At(i), values[i]), second.Update(SyntheticSeries.At(i), values[i]));
        }
    }

    [Fact]
    public void Reset_AfterUse_BehavesLikeANewDetector()
    {
        var values = SyntheticSeries.Noise(1500, seed: 71);
        var used = new DefaultAnomalyDetector();
        for (var i = 0; i < values.Length; i++)
        {
            used.Update(SyntheticSeries.At(i + 5000), values[values.Length - 1 - i] * 3);
        }

        used.Reset();
        var fresh = new DefaultAnomalyDetector();

        Assert.Equal(0, used.PointsSeen);
        for (var i = 0; i < values.Length; i++)
        {
            Assert.Equal(fresh.Update(SyntheticSeries.At(i), values[i]), used.Update(SyntheticSeries.At(i), values[i]));
        }
    }

    [Fact]
    public void Update_AfterWarmUp_AllocatesNothingPerPoint()
    {
        var options = AnomalyDetectorOptions.Default with { Components = AnomalyDetectorComponents.All };
        var detector = new DefaultAnomalyDetector(options);
        var values = SyntheticSeries.Daily(12_000, seed: 81);
        for (var i = 0; i < 2000; i++)
        {
            detector.Update(SyntheticSeries.At(i), values[i]);
        }

        // Measured in three runs of points, the least counted: a per-point allocation shows in every run, while the
        // runtime's one-off work on this thread (a method's tier-up under a loaded machine) shows in one at most.
        var sum = 0.0;
        var least = long.MaxValue;
        for (var from = 2000; from < values.Length; from += 3_400)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = from; i < Math.Min(from + 3_400, values.Length); i++)
            {
                sum += detector.Update(SyntheticSeries.At(i), values[i]).Score;
            }

            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, least);
        Assert.True(sum >= 0);
    }

    [Fact]
    public void Constructor_InvalidOptions_ListsEveryProblem()
    {
        var options = AnomalyDetectorOptions.Default with { Threshold = 0, LongWindow = 4, SeasonalBucketSeconds = 7 };

        var error = Assert.Throws<ArgumentException>(() => new DefaultAnomalyDetector(options));

        Assert.Contains("Threshold", error.Message, StringComparison.Ordinal);
        Assert.Contains("LongWindow", error.Message, StringComparison.Ordinal);
        Assert.Contains("SeasonalBucketSeconds", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, options.Validate().Count);
    }

    [Fact]
    public void Validate_DefaultOptions_HasNoProblem()
    {
        Assert.Empty(AnomalyDetectorOptions.Default.Validate());
    }

    [Theory]
    [InlineData(AnomalyType.Spike, "\"spike\"")]
    [InlineData(AnomalyType.Drop, "\"drop\"")]
    [InlineData(AnomalyType.PatternDeviation, "\"pattern_deviation\"")]
    [InlineData(AnomalyType.FrequencyAnomaly, "\"frequency_anomaly\"")]
    [InlineData(AnomalyType.DistributionShift, "\"distribution_shift\"")]
    public void AnomalyType_Json_UsesSnakeCaseWireNames(AnomalyType type, string json)
    {
        Assert.Equal(json, JsonSerializer.Serialize(type));
        Assert.Equal(type, JsonSerializer.Deserialize<AnomalyType>(json));
    }

    private static List<(int Index, AnomalyResult Result)> Alarms(double[] values, AnomalyDetectorOptions? options = null, int from = 0)
    {
        var detector = new DefaultAnomalyDetector(options);
        var alarms = new List<(int, AnomalyResult)>();
        for (var i = 0; i < values.Length; i++)
        {
            var result = detector.Update(SyntheticSeries.At(i), values[i]);
            if (result.IsAnomaly && i >= from)
            {
                alarms.Add((i, result));
            }
        }

        return alarms;
    }
}
