using AnalyticsHub.Events;
using FsCheck;
using FsCheck.Fluent;

namespace AnalyticsHub.Tests.Events;

/// <summary>Registers the event generators for <c>[Property(Arbitrary = [typeof(EventArbitraries)])]</c>.</summary>
public static class EventArbitraries
{
    /// <summary>Any event.</summary>
    public static Arbitrary<AnalyticsEvent> AnalyticsEvent() => EventGenerators.AnyEvent.ToArbitrary();

    /// <summary>Any payload.</summary>
    public static Arbitrary<EventPayload> EventPayload() => EventGenerators.AnyPayload.ToArbitrary();

    /// <summary>Any common fields.</summary>
    public static Arbitrary<CommonEventFields> CommonEventFields() => EventGenerators.Common.ToArbitrary();

    /// <summary>Any instant of years 1..9999 at tick precision.</summary>
    public static Arbitrary<DateTimeOffset> DateTimeOffset() => EventGenerators.Timestamp.ToArbitrary();
}
