using AnalyticsHub.Events;
using Xunit.Sdk;

namespace AnalyticsHub.Tests.Events;

/// <summary>The invariants every read result must keep, whatever the input.</summary>
internal static class ReadResultAssert
{
    private static readonly Dictionary<string, ProblemSeverity> Catalogue =
        ProblemCodes.Catalogue.ToDictionary(entry => entry.Code, entry => entry.Severity, StringComparer.Ordinal);

    /// <summary>
    /// Asserts that <paramref name="result"/> is well formed for an input of <paramref name="inputLength"/>
    /// bytes: a failure carries at least one error; every problem has a catalogue code with its
    /// severity, a non-empty path and an offset inside the input; an event read is writable and
    /// reads back to itself.
    /// </summary>
    public static void AssertWellFormed(EventReadResult result, int inputLength)
    {
        foreach (var problem in result.Problems)
        {
            if (!Catalogue.TryGetValue(problem.Code, out var severity))
            {
                throw new XunitException($"'{problem.Code}' is not in ProblemCodes.Catalogue: {problem}");
            }

            Assert.Equal(severity, problem.Severity);
            Assert.False(string.IsNullOrEmpty(problem.Path), $"A problem without a path: {problem}");
            Assert.False(string.IsNullOrWhiteSpace(problem.Message), $"A problem without a message: {problem}");
            if (problem.ByteOffset is { } offset)
            {
                Assert.InRange(offset, 0, inputLength);
            }
        }

        if (result.Succeeded)
        {
            Assert.DoesNotContain(result.Problems, p => p.IsError);
            var written = AnalyticsEventJson.Serialize(result.Event!);
            var again = AnalyticsEventJson.Read(written);
            Assert.True(again.Succeeded, $"An accepted event must write readable JSON: {string.Join("; ", again.Problems)}");
            Assert.Equal(written, AnalyticsEventJson.Serialize(again.Event!));
        }
        else
        {
            Assert.Null(result.Event);
            Assert.Contains(result.Problems, p => p.IsError);
        }
    }
}
