using AnalyticsHub.Correlation;
using AnalyticsHub.Events;

namespace AnalyticsHub.Tests.Correlation;

public class CorrelationQueryStringTests
{
    private static IReadOnlyList<Problem> Parse(string queryString, out CorrelationQuery? query) =>
        CorrelationQueryString.TryParse(
            queryString.Length == 0 ? [] : queryString.Split('&').Select(p => p.Split('=', 2)).Select(p => new KeyValuePair<string, string?>(p[0], p[1])),
            out query);

    [Fact]
    public void TryParse_Nothing_IsTheLastHourAboveTheWireDefaults()
    {
        Assert.Empty(Parse("", out var query));

        Assert.Equal(Guid.Empty, query!.SeedEventId);
        Assert.Equal(CorrelationQueryString.DefaultWindowMinutes, query.TimeWindowMinutes);
        Assert.Equal(0.7, query.MinStrength);
        Assert.Equal(5u, query.MaxDepth);
        Assert.Empty(query.CorrelationTypes);
        Assert.Empty(query.IncludeModules);
    }

    [Fact]
    public void TryParse_EveryParameter_ReadsItsWireForm()
    {
        var seed = Guid.Parse("5b1c2a8e-0f4e-4c53-9a42-2d1f0c9e7a10");

        Assert.Empty(Parse($"seed_event_id={seed}&time_window_minutes=90&min_strength=0.8&max_depth=2&correlation_types=causal_chain,cost_impact&correlation_types=security_incident&include_modules=llm-registry,llm-cost-ops", out var query));

        Assert.Equal(seed, query!.SeedEventId);
        Assert.Equal(90, query.TimeWindowMinutes);
        Assert.Equal(0.8, query.MinStrength);
        Assert.Equal(2u, query.MaxDepth);
        Assert.Equal([CorrelationType.CausalChain, CorrelationType.CostImpact, CorrelationType.SecurityIncident], query.CorrelationTypes);
        Assert.Equal([SourceModule.LlmRegistry, SourceModule.LlmCostOps], query.IncludeModules);
    }

    [Theory]
    [InlineData("min_strength=1.5", ProblemCodes.NumberOutOfRange, "min_strength")]
    [InlineData("min_strength=high", ProblemCodes.InvalidType, "min_strength")]
    [InlineData("time_window_minutes=0", ProblemCodes.NumberOutOfRange, "time_window_minutes")]
    [InlineData("time_window_minutes=1.5", ProblemCodes.NotAnInteger, "time_window_minutes")]
    [InlineData("max_depth=-1", ProblemCodes.NotAnInteger, "max_depth")]
    [InlineData("max_depth=99", ProblemCodes.NumberOutOfRange, "max_depth")]
    [InlineData("seed_event_id=nope", ProblemCodes.InvalidUuid, "seed_event_id")]
    [InlineData("correlation_types=causal_chain,Temporal2", ProblemCodes.InvalidEnumValue, "correlation_types[1]")]
    [InlineData("include_modules=llm-nowhere", ProblemCodes.InvalidEnumValue, "include_modules[0]")]
    [InlineData("min_strenght=0.8", ProblemCodes.UnknownField, "min_strenght")]
    [InlineData("max_depth=2&max_depth=3", ProblemCodes.DuplicateKey, "max_depth")]
    public void TryParse_BadParameter_GivesCodeAndParameterPath(string queryString, string code, string path)
    {
        var problem = Assert.Single(Parse(queryString, out var query));

        Assert.Null(query);
        Assert.Equal(code, problem.Code);
        Assert.Equal(path, problem.Path);
    }

    [Fact]
    public void TryParse_SeveralProblems_AreReportedAtOnce()
    {
        var problems = Parse("min_strength=x&max_depth=y&bogus=1", out _);

        Assert.Equal(["min_strength", "max_depth", "bogus"], problems.Select(p => p.Path));
    }
}
