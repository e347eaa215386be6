using AnalyticsHub.Samples.GenericHost;
using Microsoft.Extensions.Hosting;

// The hub inside a generic host: `dotnet run --project samples/GenericHost`. The host starts the hub, a producer
// ingests simulated LLM traffic, the hub's health is logged every two seconds, and after Sample:RunFor (or Ctrl+C)
// the host stops: the producer first, then the hub drains within Ingestion:ShutdownTimeout and the host's own
// HostOptions:ShutdownTimeout.
using var host = GenericHostSample.CreateBuilder(args).Build();
await host.RunAsync();
