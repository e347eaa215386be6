using System.Text.Json;
using Microsoft.AspNetCore.Routing;

namespace AnalyticsHub.AspNetCore;

/// <summary>
/// Marks the endpoints of one <c>MapAnalyticsHub</c> call, so its OpenAPI document lists them and no other endpoint of
/// the host, and keeps that document once built.
/// </summary>
internal sealed class AnalyticsHubApiMetadata
{
    private byte[]? _document;

    /// <summary>The document of the marked endpoints as UTF-8 JSON, built on first use (the endpoints are fixed by then).</summary>
    public byte[] Document(EndpointDataSource endpoints)
    {
        var document = Volatile.Read(ref _document);
        if (document is null)
        {
            var node = OpenApiDocumentBuilder.Build(this, endpoints.Endpoints);
            document = JsonSerializer.SerializeToUtf8Bytes(node, HttpApiJsonContext.Canonical.JsonObject);
            Volatile.Write(ref _document, document);
        }

        return document;
    }
}
