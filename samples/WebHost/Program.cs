using AnalyticsHub.Samples.WebHost;

// The hub's HTTP API in a web host: ingest from any language over HTTP, query, watch the live stream, and the dashboard.
//   dotnet run --project samples/WebHost -- --urls http://127.0.0.1:5080 --replay easy
// then open http://127.0.0.1:5080/hub. --replay easy|medium|hard (the simulator's tiers) or a scenario JSON file
// ingests the simulator's traffic, ending now, at start. With ApiKeys configured (appsettings.json or
// ApiKeys__Ingest=... in the environment), ingest needs the header X-Api-Key with the ingest key and reads the read key,
// and the dashboard is not mapped; without keys the API is open, as on loopback.
SampleApp.Build(args).Run();
