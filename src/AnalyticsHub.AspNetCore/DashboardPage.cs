using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;

namespace AnalyticsHub.AspNetCore;

/// <summary>The dashboard's page and assets, read once from the package's embedded resources, with their headers.</summary>
internal sealed class DashboardPage
{
    private const string ResourcePrefix = "AnalyticsHub.AspNetCore.Dashboard.";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["app.js"] = "text/javascript; charset=utf-8",
        ["app.css"] = "text/css; charset=utf-8",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly StaticFile _index;
    private readonly FrozenDictionary<string, StaticFile> _assets;
    private readonly string _contentSecurityPolicy;

    private DashboardPage(string prefix, StaticFile index, FrozenDictionary<string, StaticFile> assets, string contentSecurityPolicy)
    {
        Prefix = prefix;
        _index = index;
        _assets = assets;
        _contentSecurityPolicy = contentSecurityPolicy;
    }

    /// <summary>The route prefix, without a trailing slash.</summary>
    public string Prefix { get; }

    /// <summary>The Content-Security-Policy of every answer: only this origin (and an absolute API origin) may be reached.</summary>
    public string ContentSecurityPolicy => _contentSecurityPolicy;

    public static DashboardPage Create(string prefix, AnalyticsHubDashboardOptions options)
    {
        var path = NormalizePath(prefix, "prefix");
        var api = options.ApiBasePath ?? throw new ArgumentException("ApiBasePath must be set.", nameof(options));
        var connect = "'self'";
        if (Uri.TryCreate(api, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            connect += " " + absolute.GetLeftPart(UriPartial.Authority);
            api = absolute.ToString().TrimEnd('/');
        }
        else
        {
            api = NormalizePath(api, nameof(options.ApiBasePath));
        }

        var html = HtmlEncoder.Default;
        var index = Read("index.html")
            .Replace("{{title}}", html.Encode(options.Title ?? "AnalyticsHub"), StringComparison.Ordinal)
            .Replace("{{api}}", html.Encode(api), StringComparison.Ordinal)
            .Replace("{{base}}", html.Encode(path), StringComparison.Ordinal);
        var assets = ContentTypes.ToFrozenDictionary(
            pair => pair.Key,
            pair => new StaticFile(Encoding.UTF8.GetBytes(Read(pair.Key)), pair.Value),
            StringComparer.Ordinal);
        var csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
            + $"connect-src {connect}; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
        return new DashboardPage(path, new StaticFile(Encoding.UTF8.GetBytes(index), "text/html; charset=utf-8"), assets, csp);
    }

    public IResult Index(HttpContext context) => Serve(context, _index);

    public IResult Asset(HttpContext context, string name) =>
        _assets.TryGetValue(name, out var asset) ? Serve(context, asset) : Results.NotFound();

    private IResult Serve(HttpContext context, StaticFile asset)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = _contentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        if (context.Request.Headers.IfNoneMatch.ToString() == asset.ETag)
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(asset.Content, asset.ContentType);
    }

    private static string NormalizePath(string value, string name)
    {
        var path = value.TrimEnd('/');
        if (!value.StartsWith('/') || path.Contains("//", StringComparison.Ordinal) || path.IndexOfAny(['?', '#', '"', '<', '>', '\'', ' ']) >= 0)
        {
            throw new ArgumentException($"'{value}' is not a route path such as /hub.", name);
        }

        return path;
    }

    private static string Read(string name)
    {
        using var stream = typeof(DashboardPage).Assembly.GetManifestResourceStream(ResourcePrefix + name)
            ?? throw new InvalidOperationException($"The dashboard asset {name} is missing from the package.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private sealed class StaticFile(byte[] content, string contentType)
    {
        public byte[] Content { get; } = content;

        public string ContentType { get; } = contentType;

        public string ETag { get; } = "\"" + Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 12)) + "\"";
    }
}
