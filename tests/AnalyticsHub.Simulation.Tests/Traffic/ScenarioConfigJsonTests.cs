using AnalyticsHub.Simulation.Traffic;

namespace AnalyticsHub.Simulation.Tests.Traffic;

public sealed class ScenarioConfigJsonTests
{
    [Theory]
    [InlineData("easy")]
    [InlineData("medium")]
    [InlineData("hard")]
    public void Write_Preset_ReadsBackToSameJson(string tier)
    {
        var json = ScenarioConfigJson.Write(ScenarioConfig.ForTier(tier));

        Assert.Equal(json, ScenarioConfigJson.Write(ScenarioConfigJson.Read(json)));
        Assert.Contains("\"effect_size\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MinimalConfig_DefaultsFilledIn()
    {
        var config = ScenarioConfigJson.Read("""{"seed": 5, "incidents": [{"template": "provider_outage", "start_minutes": 30}]}""");

        Assert.Equal(5UL, config.Seed);
        Assert.Equal(6, config.DurationHours);
        Assert.Equal(IncidentTemplate.ProviderOutage, Assert.Single(config.Incidents).Template);
        Assert.Equal(1.0, config.Knobs.EffectSize);
    }

    [Theory]
    [InlineData("""{"knobs": {"noise": 9}}""", "$.knobs.noise")]
    [InlineData("""{"duration_hours": 0}""", "$.duration_hours")]
    [InlineData("""{"world": {"tenants": 0}}""", "$.world.tenants")]
    [InlineData("""{"incidents": [{"template": "deploy_regression", "effect_size": -1}]}""", "$.incidents[0].effect_size")]
    [InlineData("""{"knobs": {"clock_skew": [{"module": "llm-nowhere", "seconds": 5}]}}""", "$.knobs.clock_skew[0].module")]
    [InlineData("""{"knobs": {"clock_skew": [{"module": "llm-sentinel", "seconds": 600}]}}""", "$.knobs.clock_skew[0].seconds")]
    [InlineData("""{"knobs": {"silent_module": {"module": "llm-sentinel", "start_minutes": 9999, "duration_minutes": 5}}}""", "$.knobs.silent_module.start_minutes")]
    public void Read_OutOfRange_ErrorNamesPath(string json, string path)
    {
        var ex = Assert.Throws<ScenarioConfigException>(() => ScenarioConfigJson.Read(json));

        Assert.Equal(path, ex.Path);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"knobs": {"nosie": 1}}""", "$.knobs.nosie")]
    [InlineData("""{"knobs": {"noise": "loud"}}""", "$.knobs.noise")]
    [InlineData("""{"incidents": [{"template": "meteor_strike"}]}""", "$.incidents[0].template")]
    public void Read_WrongKeyOrType_ErrorNamesPath(string json, string path)
    {
        var ex = Assert.Throws<ScenarioConfigException>(() => ScenarioConfigJson.Read(json));

        Assert.Equal(path, ex.Path);
    }

    [Fact]
    public void Read_MalformedJson_ErrorWithLine()
    {
        var ex = Assert.Throws<ScenarioConfigException>(() => ScenarioConfigJson.Read("{\n  \"seed\": 1,,\n}"));

        Assert.Contains("line 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SeveralProblems_AllListed()
    {
        var config = new ScenarioConfig { DurationHours = -1, Knobs = new ScenarioKnobs { Noise = -1, DuplicateRate = 2 } };

        var problems = config.Validate();

        Assert.Equal(["$.duration_hours", "$.knobs.noise", "$.knobs.duplicate_rate"], problems.Select(p => p.Path));
    }

    [Fact]
    public void ForTier_Unknown_Throws()
    {
        Assert.Throws<ArgumentException>(() => ScenarioConfig.ForTier("nightmare"));
    }
}
