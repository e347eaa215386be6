using AnalyticsHub.Evaluation.Nab;

namespace AnalyticsHub.Evaluation.Tests.Nab;

public class NullAnomalyScorerTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(1e300)]
    [InlineData(double.NaN)]
    public void Update_AnyValue_IsZero(double value)
    {
        Assert.Equal(0.0, new NullAnomalyScorer().Update(NabTestData.Origin, value).Score);
    }
}
