using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AnalyticsHub.AspNetCore.Tests;

/// <summary>The host secures and rate-limits the route groups with ASP.NET Core's own features.</summary>
public sealed class AuthorizationAndRateLimitTests
{
    private static Task<HubApp> SecuredAsync() => HubApp.StartAsync(
        services: b =>
        {
            b.Services.AddAuthentication("Test").AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>("Test", null);
            b.Services.AddAuthorizationBuilder()
                .AddPolicy("ingest", p => p.RequireRole("producer"))
                .AddPolicy("read", p => p.RequireRole("reader"));
        },
        middleware: app =>
        {
            app.UseAuthentication();
            app.UseAuthorization();
        },
        groups: g =>
        {
            g.Ingest.RequireAuthorization("ingest");
            g.Read.RequireAuthorization("read");
        });

    private static HttpRequestMessage As(HttpMethod method, string path, string? role, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (role is not null)
        {
            request.Headers.Add("X-Role", role);
        }

        return request;
    }

    [Fact]
    public async Task Ingest_WithoutCredentials_Is401()
    {
        await using var app = await SecuredAsync();

        var response = await app.Client.SendAsync(As(HttpMethod.Post, "events", null, HubApp.Json(WireEvents.Latency(1))));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0ul, await app.StoredCountAsync());
    }

    [Fact]
    public async Task Ingest_AsReader_Is403()
    {
        await using var app = await SecuredAsync();

        var response = await app.Client.SendAsync(As(HttpMethod.Post, "events", "reader", HubApp.Json(WireEvents.Latency(1))));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0ul, await app.StoredCountAsync());
    }

    [Fact]
    public async Task EachGroup_TakesItsOwnPolicy()
    {
        await using var app = await SecuredAsync();

        var ingest = await app.Client.SendAsync(As(HttpMethod.Post, "events", "producer", HubApp.Json(WireEvents.Latency(1))));
        var readAsProducer = await app.Client.SendAsync(As(HttpMethod.Get, "events", "producer"));
        var read = await app.Client.SendAsync(As(HttpMethod.Get, "events", "reader"));

        Assert.Equal(HttpStatusCode.OK, ingest.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, readAsProducer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task Ingest_OverTheHostsRateLimit_Is429()
    {
        await using var app = await HubApp.StartAsync(
            services: b => b.Services.AddRateLimiter(o =>
            {
                o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
                o.AddFixedWindowLimiter("ingest", w =>
                {
                    w.PermitLimit = 1;
                    w.Window = TimeSpan.FromHours(1);
                    w.QueueLimit = 0;
                    w.QueueProcessingOrder = QueueProcessingOrder.OldestFirst;
                });
            }),
            middleware: app => app.UseRateLimiter(),
            groups: g => g.Ingest.RequireRateLimiting("ingest"));

        var first = await app.Client.PostAsync("events", HubApp.Json(WireEvents.Latency(1)));
        var second = await app.Client.PostAsync("events", HubApp.Json(WireEvents.Latency(2)));
        var read = await app.Client.GetAsync("events");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal((HttpStatusCode)429, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    /// <summary>Authenticates whoever sends <c>X-Role</c>, with that role.</summary>
    private sealed class HeaderAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (!Request.Headers.TryGetValue("X-Role", out var role))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "test"), new Claim(ClaimTypes.Role, role.ToString())], "Test");
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), "Test")));
        }
    }
}
