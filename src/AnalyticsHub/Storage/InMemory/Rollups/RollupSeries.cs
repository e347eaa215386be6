namespace AnalyticsHub.Storage.InMemory.Rollups;

/// <summary>One rollup series: a measurement's tag set with its levels (one per resolution, finest first).</summary>
internal sealed class RollupSeries(IReadOnlyDictionary<string, string> tags)
{
    /// <summary>The tags, sorted by key.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; } = tags;

    /// <summary>The levels by resolution, finest first.</summary>
    public List<RollupLevel> Levels { get; } = [];

    public RollupLevel GetOrAddLevel(long resolutionTicks)
    {
        var i = 0;
        while (i < Levels.Count && Levels[i].ResolutionTicks < resolutionTicks)
        {
            i++;
        }

        if (i < Levels.Count && Levels[i].ResolutionTicks == resolutionTicks)
        {
            return Levels[i];
        }

        var level = new RollupLevel(resolutionTicks);
        Levels.Insert(i, level);
        return level;
    }

    public bool IsEmpty
    {
        get
        {
            foreach (var level in Levels)
            {
                if (level.Count > 0)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
