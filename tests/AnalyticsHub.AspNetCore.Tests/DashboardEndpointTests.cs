using System.Net;
using Microsoft.AspNetCore.Builder;

namespace AnalyticsHub.AspNetCore.Tests;

/// <summary>What <c>MapAnalyticsHubDashboard</c> serves, over HTTP; the page itself runs in tests/AnalyticsHub.Dashboard.Tests.</summary>
public sealed class DashboardEndpointTests
{
    private static Task<HubApp> StartAsync(string prefix = "/hub", Action<AnalyticsHubDashboardOptions>? configure = null) =>
        HubApp.StartAsync(middleware: app => app.MapAnalyticsHubDashboard(prefix, configure));

    private static async Task<(HttpResponseMessage Response, string Body)> GetAsync(HubApp app, string path, string? etag = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("http://localhost" + path));
        if (etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        }

        var response = await app.Client.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/hub")]
    [InlineData("/hub/")]
    public async Task Page_IsServedWithAStrictContentSecurityPolicy_AndNamesTheApiAndItsAssets(string path)
    {
        await using var app = await StartAsync();

        var (response, html) = await GetAsync(app, path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Contains("<meta name=\"analyticshub-api\" content=\"/api/v1\">", html, StringComparison.Ordinal);
        Assert.Contains("src=\"/hub/assets/app.js\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/hub/assets/app.css\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("app.js", "text/javascript")]
    [InlineData("app.css", "text/css")]
    public async Task Assets_AreServedWithTheirTypes_AndRevalidatedByETag(string name, string type)
    {
        await using var app = await StartAsync("/ops/dashboard");

        var (response, body) = await GetAsync(app, "/ops/dashboard/assets/" + name);
        var etag = response.Headers.ETag!.Tag;
        var (again, _) = await GetAsync(app, "/ops/dashboard/assets/" + name, etag);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType!.MediaType);
        Assert.True(body.Length > 1000);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Equal("no-cache", response.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task Assets_UnknownName_Is404()
    {
        await using var app = await StartAsync();

        var (response, _) = await GetAsync(app, "/hub/assets/index.html");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ApiBasePath_IsWhatThePageReads_AndAnAbsoluteOneJoinsConnectSrc()
    {
        await using var relative = await StartAsync(configure: o => o.ApiBasePath = "/analytics/v2/");
        await using var absolute = await StartAsync(configure: o => { o.ApiBasePath = "https://hub.example.com/api/v1"; o.Title = "Ops <hub>"; });

        var (_, html) = await GetAsync(relative, "/hub");
        var (response, other) = await GetAsync(absolute, "/hub");

        Assert.Contains("content=\"/analytics/v2\"", html, StringComparison.Ordinal);
        Assert.Contains("content=\"https://hub.example.com/api/v1\"", other, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self' https://hub.example.com;", Assert.Single(response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Contains("<title>Ops &lt;hub&gt;</title>", other, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hub")]
    [InlineData("/hub?x=1")]
    [InlineData("//hub")]
    [InlineData("/a b")]
    public async Task Map_APrefixThatIsNotARoutePath_Throws(string prefix)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => StartAsync(prefix));

        Assert.Contains(prefix, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_AnApiBasePathThatIsNeitherARoutePathNorAnHttpUrl_Throws()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => StartAsync(configure: o => o.ApiBasePath = "ftp://example.com/api"));

        Assert.Equal("ApiBasePath", error.ParamName);
    }
}
