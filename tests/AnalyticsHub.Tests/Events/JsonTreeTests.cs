using Xunit.Sdk;

namespace AnalyticsHub.Tests.Events;

/// <summary>The structural comparer must fail where the golden tests rely on it to fail.</summary>
public sealed class JsonTreeTests
{
    [Theory]
    [InlineData("""{"a":1,"b":[true,null]}""", """{"b":[true,null],"a":1.0}""")]
    [InlineData("""{"t":"2024-01-15T12:30:00+02:00"}""", """{"t":"2024-01-15T10:30:00.000Z"}""")]
    [InlineData("""{"t":"2024-01-15T10:30:00.123456789Z"}""", """{"t":"2024-01-15T10:30:00.123456700Z"}""")]
    [InlineData("""{"n":18446744073709551615}""", """{"n":18446744073709551615}""")]
    public void AssertEquivalent_EquivalentDocuments_Passes(string expected, string actual) =>
        JsonTree.AssertEquivalent(expected, actual);

    [Theory]
    [InlineData("""{"a":null}""", """{}""")]
    [InlineData("""{}""", """{"a":null}""")]
    [InlineData("""{"a":1}""", """{"a":2}""")]
    [InlineData("""{"a":"1"}""", """{"a":1}""")]
    [InlineData("""{"n":9007199254740993}""", """{"n":9007199254740992}""")]
    [InlineData("""{"a":[1,2]}""", """{"a":[2,1]}""")]
    [InlineData("""{"t":"2024-01-15T10:30:00Z"}""", """{"t":"2024-01-15T10:30:01Z"}""")]
    [InlineData("""{"t":"2024-01-15T10:30:00"}""", """{"t":"2024-01-15T10:30:00Z"}""")]
    [InlineData("""{"s":"A"}""", """{"s":"a"}""")]
    public void AssertEquivalent_DifferentDocuments_Fails(string expected, string actual) =>
        Assert.Throws<XunitException>(() => JsonTree.AssertEquivalent(expected, actual));
}
