namespace AnalyticsHub.Metrics;

public sealed partial class WindowedAggregator
{
    /// <summary>How many points of a <see cref="RecordAll"/> call got each status.</summary>
    internal struct RecordCounts
    {
        public int Recorded;
        public int Late;
        public int InvalidValue;
        public int UnknownKey;

        public void Add(RecordStatus status)
        {
            switch (status)
            {
                case RecordStatus.Recorded:
                    Recorded++;
                    break;
                case RecordStatus.Late:
                    Late++;
                    break;
                case RecordStatus.InvalidValue:
                    InvalidValue++;
                    break;
                default:
                    UnknownKey++;
                    break;
            }
        }
    }

    /// <summary>
    /// A stretch of points grouped by series, each series' values kept in arrival order (a counting sort by series id):
    /// the runs <see cref="RecordAll"/> hands to the shard. Its arrays are reused from one stretch to the next.
    /// </summary>
    private sealed class RunGrouping
    {
        // By series id: 1 + the series' run in this stretch, 0 when it has none (cleared after each stretch).
        private int[] _runOfSeries = [];
        private int[] _seriesOfRun = [];
        private int[] _lengthOfRun = [];
        private int[] _startOfRun = [];
        private int[] _fillOfRun = [];

        public Lock Gate { get; } = new();

        /// <summary>The run of each point of the stretch, or -1 for a point not recorded (unknown series, not finite).</summary>
        public int[] RunOf { get; private set; } = [];

        /// <summary>The stretch's times, series after series (after <see cref="Place"/>).</summary>
        public long[] Ticks { get; private set; } = [];

        /// <summary>The stretch's values, series after series (after <see cref="Place"/>).</summary>
        public double[] Values { get; private set; } = [];

        /// <summary>The number of series (runs) in the stretch.</summary>
        public int SeriesCount { get; private set; }

        public void Prepare(int points, int seriesCount)
        {
            if (RunOf.Length < points)
            {
                var size = Math.Max(points, RunOf.Length * 2);
                RunOf = new int[size];
                Ticks = new long[size];
                Values = new double[size];
                _seriesOfRun = new int[size];
                _lengthOfRun = new int[size];
                _startOfRun = new int[size];
                _fillOfRun = new int[size];
            }

            if (_runOfSeries.Length < seriesCount)
            {
                Array.Resize(ref _runOfSeries, Math.Max(seriesCount, _runOfSeries.Length * 2));
            }
        }

        /// <summary>Counts one more value of the series and returns its run.</summary>
        public int Count(int seriesId)
        {
            var run = _runOfSeries[seriesId] - 1;
            if (run < 0)
            {
                run = SeriesCount++;
                _runOfSeries[seriesId] = run + 1;
                _seriesOfRun[run] = seriesId;
                _lengthOfRun[run] = 0;
            }

            _lengthOfRun[run]++;
            return run;
        }

        /// <summary>Copies the counted points' times and values into <see cref="Ticks"/> and <see cref="Values"/>, run after run.</summary>
        public void Place(ReadOnlySpan<long> ticks, ReadOnlySpan<double> values)
        {
            var start = 0;
            for (var run = 0; run < SeriesCount; run++)
            {
                _startOfRun[run] = start;
                _fillOfRun[run] = start;
                start += _lengthOfRun[run];
            }

            var runOf = RunOf;
            for (var i = 0; i < ticks.Length; i++)
            {
                var run = runOf[i];
                if (run >= 0)
                {
                    var position = _fillOfRun[run]++;
                    Ticks[position] = ticks[i];
                    Values[position] = values[i];
                }
            }
        }

        public (int SeriesId, int Start, int Length) Run(int run) => (_seriesOfRun[run], _startOfRun[run], _lengthOfRun[run]);

        public void Clear()
        {
            for (var run = 0; run < SeriesCount; run++)
            {
                _runOfSeries[_seriesOfRun[run]] = 0;
            }

            SeriesCount = 0;
        }
    }
}
