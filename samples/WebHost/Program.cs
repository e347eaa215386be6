using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using AnalyticsHub.Samples.WebHost;

// The hub's HTTP API in a web host: ingest from any language over HTTP, query, and watch the live stream.
//   dotnet run --project samples/WebHost -- --urls http://127.0.0.1:5080
// With ApiKeys configured (appsettings.json or ApiKeys__Ingest=... in the environment), ingest needs the header
// X-Api-Key with the ingest key and reads the read key; without keys the API is open, as on loopback.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddAnalyticsHub(builder.Configuration.GetSection("AnalyticsHub"));
builder.Services.AddAnalyticsHubHttpApi(options =>
{
    options.MaxRequestBodySize = builder.Configuration.GetValue("AnalyticsHubHttp:MaxRequestBodySize", options.MaxRequestBodySize);
});

var keys = builder.Configuration.GetSection("ApiKeys").Get<ApiKeyOptions>() ?? new ApiKeyOptions();
builder.Services.AddSingleton(keys);
builder.Services.AddAuthentication(ApiKeyAuthentication.SchemeName).AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
builder.Services.AddAuthorizationBuilder()
    .AddPolicy("ingest", p => p.RequireRole("ingest"))
    .AddPolicy("read", p => p.RequireRole("read", "ingest"))
    .AddPolicy("admin", p => p.RequireRole("admin"));

// Per client address: 6,000 ingest requests a minute (a generous bound: the loopback load generator stays below it), queued up to 8.
builder.Services.AddRateLimiter(limiter =>
{
    limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
    limiter.AddPolicy("ingest", context => RateLimitPartition.GetFixedWindowLimiter(
        context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
        _ => new FixedWindowRateLimiterOptions { PermitLimit = 6_000, Window = TimeSpan.FromMinutes(1), QueueLimit = 8 }));
});

var app = builder.Build();
app.UseWebSockets();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();

var api = app.MapAnalyticsHub("/api/v1");
api.Ingest.RequireRateLimiting("ingest");
if (keys.Enabled)
{
    api.Ingest.RequireAuthorization("ingest");
    api.Read.RequireAuthorization("read");
    api.Admin.RequireAuthorization("admin");
}

app.Run();
