using AnalyticsHub.TimeSeries;
using FsCheck.Xunit;

namespace AnalyticsHub.Tests.TimeSeries;

/// <summary>TagSet equality and hashing (the series identity) against the sorted-pairs baseline.</summary>
public class TagSetProperties
{
    private static readonly string[] Values = ["a", "b", "c"];

    private static TagSet Build(int seed, bool mapFirst)
    {
        var random = new Random(seed);
        string? Pick() => random.Next(4) == 0 ? null : Values[random.Next(Values.Length)];
        var custom = new List<KeyValuePair<string, string>>();
        foreach (var key in new[] { "tenant", "team", "zone" })
        {
            if (Pick() is { } value)
            {
                custom.Add(new(key, value));
            }
        }

        IReadOnlyDictionary<string, string> map;
        if (mapFirst)
        {
            var small = new PointTagMap();
            foreach (var (key, value) in custom)
            {
                small[key] = value;
            }

            map = small;
        }
        else
        {
            custom.Reverse();
            map = new Dictionary<string, string>(custom);
        }

        return new TagSet { SourceModule = "m", Environment = Pick() ?? "prod", Region = Pick(), ModelId = Pick(), Service = Pick(), Version = Pick(), Custom = map };
    }

    [Property]
    public bool Equals_AgreesWithSortedPairs_AndEqualSetsHashAlike(int left, int right, bool leftMap, bool rightMap)
    {
        // Seeds drawn from a small range so that equal tag sets are common.
        var a = Build(Math.Abs(left % 50), leftMap);
        var b = Build(Math.Abs(right % 50), rightMap);

        var baseline = a.GetSortedPairs().SequenceEqual(b.GetSortedPairs());
        return a.Equals(b) == baseline && b.Equals(a) == baseline && (!baseline || a.GetHashCode() == b.GetHashCode());
    }

    [Fact]
    public void Equals_CustomTagsInAnotherOrderOrDictionaryType_AreEqual()
    {
        var map = new PointTagMap { ["tenant"] = "t1", ["team"] = "x" };
        var a = new TagSet { SourceModule = "m", Environment = "prod", Custom = map };
        var b = new TagSet { SourceModule = "m", Environment = "prod", Custom = new Dictionary<string, string> { ["team"] = "x", ["tenant"] = "t1" } };

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, new TagSet { SourceModule = "m", Environment = "prod", Custom = new Dictionary<string, string> { ["team"] = "x", ["tenant"] = "t2" } });
        Assert.Equal(["environment", "source_module", "team", "tenant"], a.GetSortedPairs().Select(p => p.Key));
    }
}
