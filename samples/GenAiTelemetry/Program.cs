using AnalyticsHub.Samples.GenAiTelemetry;

// `dotnet run --project samples/GenAiTelemetry`: an app's Microsoft.Extensions.AI chat client with UseOpenTelemetry(),
// around a scripted model (no network), and the hub fed from its spans by AddGenAiTelemetry(). Prints what the hub saw.
var report = await GenAiTelemetrySample.RunAsync();
Console.Write(report.Format());
