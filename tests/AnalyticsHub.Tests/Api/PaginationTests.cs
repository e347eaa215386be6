using AnalyticsHub.Api;

namespace AnalyticsHub.Tests.Api;

public sealed class PaginationTests
{
    [Fact]
    public void Create_ZeroItems_ZeroPagesNoNextLastIsFirst()
    {
        var metadata = PaginationMetadata.Create(1, 50, 0, "/v1/events");

        Assert.Equal(0u, metadata.TotalPages);
        Assert.False(metadata.HasNext);
        Assert.False(metadata.HasPrevious);
        Assert.Equal(metadata.Links!.First, metadata.Links.Last);
        Assert.Null(metadata.Links.Next);
        Assert.Null(metadata.Links.Prev);
    }

    [Theory]
    [InlineData(1ul, 1u, 1u)]
    [InlineData(3ul, 1u, 3u)]
    [InlineData(100ul, 50u, 2u)]
    [InlineData(101ul, 50u, 3u)]
    [InlineData(10_000_000_000_000ul, 1u, uint.MaxValue)]
    public void Create_TotalPages_IsTheExactCeiling(ulong total, uint perPage, uint pages)
    {
        Assert.Equal(pages, PaginationMetadata.Create(1, perPage, total).TotalPages);
    }

    [Fact]
    public void Create_PerPageOneLastPage_HasPreviousNotNext()
    {
        var metadata = PaginationMetadata.Create(3, 1, 3, "/e");

        Assert.False(metadata.HasNext);
        Assert.True(metadata.HasPrevious);
        Assert.Equal("/e?page=3&per_page=1", metadata.Links!.Last);
        Assert.Equal("/e?page=3&per_page=1", metadata.Links.SelfLink);
        Assert.Equal("/e?page=2&per_page=1", metadata.Links.Prev);
        Assert.Null(metadata.Links.Next);
    }

    [Fact]
    public void Create_MiddlePage_LinksBothWays()
    {
        var links = PaginationMetadata.Create(2, 10, 35, "/e").Links!;

        Assert.Equal("/e?page=1&per_page=10", links.First);
        Assert.Equal("/e?page=4&per_page=10", links.Last);
        Assert.Equal("/e?page=3&per_page=10", links.Next);
        Assert.Equal("/e?page=1&per_page=10", links.Prev);
    }

    [Theory]
    [InlineData("/v1/events?env=prod", "/v1/events?env=prod&page=2&per_page=5")]
    [InlineData("/v1/events?page=9&env=prod&per_page=7&cursor=x", "/v1/events?env=prod&page=2&per_page=5")]
    [InlineData("/v1/events?", "/v1/events?page=2&per_page=5")]
    [InlineData("https://h/v1/events?a=1&b=2#top", "https://h/v1/events?a=1&b=2&page=2&per_page=5#top")]
    [InlineData("/v1/events?pages=3", "/v1/events?pages=3&page=2&per_page=5")]
    public void PageUrl_BaseWithQueryString_KeepsItAndReplacesPaging(string baseUrl, string expected)
    {
        Assert.Equal(expected, PaginationLinks.PageUrl(baseUrl, 2, 5));
    }

    [Fact]
    public void Create_ZeroPerPageOrPage_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PaginationMetadata.Create(1, 0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => PaginationMetadata.Create(0, 10, 10));
    }

    [Fact]
    public void PaginationParams_Validate_ChecksBounds()
    {
        Assert.Empty(new PaginationParams().Validate());
        Assert.Equal("per_page", Assert.Single(new PaginationParams { PerPage = 1001 }.Validate()).Path);
        Assert.Equal("page", Assert.Single(new PaginationParams { Page = 0 }.Validate()).Path);
        Assert.Equal("page", Assert.Single(new PaginationParams { Page = 11, PerPage = 1000 }.Validate()).Path);
    }
}
