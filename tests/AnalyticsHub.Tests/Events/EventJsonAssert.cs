using System.Text;
using AnalyticsHub.Events;
using Xunit.Sdk;

namespace AnalyticsHub.Tests.Events;

/// <summary>Assertions shared by the event JSON tests.</summary>
internal static class EventJsonAssert
{
    /// <summary>Reads <paramref name="json"/>, asserting success with no problem at all.</summary>
    public static AnalyticsEvent ReadClean(string json)
    {
        var result = AnalyticsEventJson.Read(json);
        if (!result.Succeeded || result.Problems.Count > 0)
        {
            throw new XunitException($"Expected a clean read, found: {string.Join("; ", result.Problems)}");
        }

        return result.Event!;
    }

    /// <summary>Reads <paramref name="json"/>, asserting that it fails, and returns the single problem.</summary>
    public static Problem ReadSingleError(string json)
    {
        var result = AnalyticsEventJson.Read(json);
        Assert.False(result.Succeeded, "The read should fail.");
        Assert.Null(result.Event);
        if (result.Problems.Count != 1)
        {
            throw new XunitException($"Expected exactly one problem, found: {string.Join("; ", result.Problems)}");
        }

        Assert.True(result.Problems[0].IsError);
        return result.Problems[0];
    }

    /// <summary>Asserts the read fails with <paramref name="code"/> at <paramref name="path"/> (and nothing else).</summary>
    public static Problem AssertSingleError(string json, string code, string path)
    {
        var problem = ReadSingleError(json);
        Assert.Equal(code, problem.Code);
        Assert.Equal(path, problem.Path);
        return problem;
    }

    /// <summary>
    /// Writes <paramref name="evt"/> and compares it structurally with <paramref name="expectedJson"/>;
    /// then reads the output back and checks that it writes the same text again.
    /// </summary>
    public static string AssertWrites(AnalyticsEvent evt, string expectedJson)
    {
        var written = AnalyticsEventJson.Serialize(evt);
        JsonTree.AssertEquivalent(expectedJson, written);
        var again = ReadClean(written);
        Assert.Equal(written, AnalyticsEventJson.Serialize(again));
        return written;
    }

    /// <summary>The UTF-8 bytes of <paramref name="json"/>, for offset arithmetic.</summary>
    public static int OffsetOf(string json, string fragment)
    {
        var index = json.IndexOf(fragment, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{fragment}' is not in the input.");
        return Encoding.UTF8.GetByteCount(json.AsSpan(0, index));
    }
}
