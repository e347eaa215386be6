using AnalyticsHub.Events;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AnalyticsHub.Tests.Events;

public class DerivedEventsTests
{
    private static readonly DerivedIdSpace Costs = DerivedEvents.Space("token_cost");
    private static readonly DerivedIdSpace Alerts = DerivedEvents.Space("budget_alert");

    [Property]
    public Property FromParent_IsDeterministicAndOneToOne(Guid a, Guid b) =>
        (Costs.FromParent(a) == DerivedEvents.Space("token_cost").FromParent(a)
            && (a == b) == (Costs.FromParent(a) == Costs.FromParent(b))).ToProperty();

    [Property]
    public Property FromParent_DiffersBetweenKindsAndFromTheParent(Guid parent) =>
        (Costs.FromParent(parent) != Alerts.FromParent(parent) && Costs.FromParent(parent) != parent).ToProperty();

    [Fact]
    public void FromName_IsAVersion5RfcUuid_StableAcrossCalls()
    {
        var id = Alerts.FromName("monthly/2026-12/80");

        Assert.Equal(id, DerivedEvents.Space("budget_alert").FromName("monthly/2026-12/80"));
        Assert.NotEqual(id, Alerts.FromName("monthly/2026-12/90"));
        Assert.NotEqual(id, Costs.FromName("monthly/2026-12/80"));
        var text = id.ToString("D");
        Assert.Equal('5', text[14]);
        Assert.Contains(text[19], "89ab");
    }

    [Fact]
    public void Common_FromTrigger_LinksParentCorrelationAndHubSource()
    {
        var trigger = SampleEvents.Event(SampleEvents.Latency) with
        {
            Common = SampleEvents.Event(SampleEvents.Latency).Common with { CorrelationId = Guid.NewGuid() },
        };
        var id = Costs.FromParent(trigger.EventId);

        var common = DerivedEvents.Common(trigger, id, EventType.Cost, Severity.Info, trigger.Common.Tags);

        Assert.Equal(id, common.EventId);
        Assert.Equal(SourceModule.LlmAnalyticsHub, common.SourceModule);
        Assert.Equal(trigger.EventId, common.ParentEventId);
        Assert.Equal(trigger.Common.CorrelationId, common.CorrelationId);
        Assert.Equal(trigger.Common.Timestamp, common.Timestamp);
        Assert.Equal(trigger.Common.Environment, common.Environment);
    }

    [Fact]
    public void Space_BlankKind_Throws() => Assert.Throws<ArgumentException>(() => DerivedEvents.Space(" "));
}
