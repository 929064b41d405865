using System.Net;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Akka.Hosting;
using NodeHealth.Actors;
using NodeHealth.Actors.Detection;
using NodeHealth.Actors.Detection.Reload;
using NodeHealth.Actors.Fleet;
using NodeHealth.Actors.Health;
using NodeHealth.Contracts.Catalog;
using NodeHealth.Contracts.Wire;
using NodeHealth.Coordinator;
using NodeHealth.Coordinator.AllInOne;
using NodeHealth.Coordinator.Api;
using NodeHealth.Coordinator.Api.Live;
using NodeHealth.Coordinator.Api.OpenApi;
using NodeHealth.Coordinator.Cluster;
using NodeHealth.Coordinator.Dashboard;
using NodeHealth.Coordinator.History;
using NodeHealth.Coordinator.Ingest;
using NodeHealth.Coordinator.Kubernetes;
using NodeHealth.Coordinator.Metrics;
using NodeHealth.Coordinator.Persistence;
using NodeHealth.Coordinator.Repair;
using NodeHealth.Coordinator.Repair.Reboot;
using NodeHealth.Coordinator.Security;
using NodeHealth.Coordinator.Security.Agents;
using NodeHealth.Coordinator.Security.Tls;
using NodeHealth.Coordinator.Simulation;
using NodeHealth.NodeHost;
using ProtoBuf.Grpc.Server;

if (SimulationCommands.Dispatch(args) is { } simulationExit) return simulationExit; // simulate/replay: offline, no cluster, no database.

// appsettings.json ships next to the binary, wherever the process is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = CommandLine.Normalize(args), ContentRootPath = AppContext.BaseDirectory });
var options = CoordinatorOptions.Bind(builder.Configuration);
if (options.Validate() is { Count: > 0 } errors)
    return CommandLine.Fail(errors);

IngestToken token;
OperatorToken operatorToken;
try
{
    Directory.CreateDirectory(options.DataDirectory);
    token = IngestToken.Resolve(options);
    operatorToken = OperatorToken.Resolve(options);
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException)
{
    return CommandLine.Fail([$"Coordinator:DataDirectory '{options.DataDirectory}' is not usable ({e.Message}): set it to a writable directory"]);
}

builder.Services.AddSingleton(options);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(token);
builder.Services.AddSingleton(operatorToken);

builder.WebHost.ConfigureKestrel(kestrel =>
{
    var address = IPAddress.Parse(options.ListenAddress);
    kestrel.Listen(address, options.HttpPort, listen => listen.Protocols = HttpProtocols.Http1);
    // gRPC without TLS needs HTTP/2 with prior knowledge: its own HTTP/2-only endpoint (TLS when Coordinator:IngestTls says).
    kestrel.Listen(address, options.GrpcPort, listen => listen.UseIngestProtocols());
    kestrel.Limits.MaxRequestBodySize = IngestLimits.MaxMessageBytes;
    kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
});
builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
builder.Services.AddIngest();
builder.Services.AddLiveEvents();
builder.Services.AddHistory();
builder.Services.AddApiDocument();
var agentOptions = options.InProcessAgent ? InProcessAgent.OptionsFor(builder.Configuration, options, token) : null;
if (agentOptions?.Validate() is { Count: > 0 } agentErrors)
    return CommandLine.Fail(agentErrors);
if (agentOptions is not null)
    InProcessAgent.ShareCatalogFiles(options, agentOptions);

CatalogHolder catalogs;
try
{
    catalogs = CatalogHolder.Load(options.CatalogFiles, CatalogLoader.Load);
}
catch (CatalogException e)
{
    return CommandLine.Fail([$"catalog error: {e.Message}"]);
}

if (builder.AddKubernetes() is { Count: > 0 } kubernetesErrors)
    return CommandLine.Fail(kubernetesErrors);
if (builder.AddRepair(catalogs) is { Count: > 0 } repairErrors)
    return CommandLine.Fail(repairErrors);
if (builder.AddCoordinatorMetrics() is { Count: > 0 } metricsErrors)
    return CommandLine.Fail(metricsErrors);
if (builder.AddAgentIdentity(options, inProcessAgentUsesSharedToken: agentOptions is { TokenFile: null or "" }) is { Count: > 0 } identityErrors)
    return CommandLine.Fail(identityErrors);
if (builder.AddIngestTls(options, inProcessAgentUsesHttp: agentOptions?.ResolvedCoordinatorUrls().Any(u => u.Scheme == Uri.UriSchemeHttp) == true) is { Count: > 0 } tlsErrors)
    return CommandLine.Fail(tlsErrors);

builder.Services.AddAkka(ClusterWiring.SystemName, (akka, services) => akka
    .ConfigureLoggers(loggers => loggers.AddAkkaLogBridge())
    .AddHealthSerialization()
    .WithCoordinatorCluster(options)
    .WithNodeHealthPersistence(options, out var shardingJournal, out var shardingSnapshots, out var readJournal)
    .AddNodeHealth(options.EntitySettings(catalogs, services.GetRequiredService<TimeProvider>()), shardingJournal, shardingSnapshots)
    .AddCatalogReload(catalogs, options.CatalogFiles)
    .AddFleetView(new FleetViewSettings(readJournal, SnapshotPluginId: null, services.GetRequiredService<TimeProvider>()))
    .AddRepairGovernor(services)
    .AddLiveEvents(services));

if (agentOptions is not null)
{
    try
    {
        // Built now, started once Kestrel listens: a broken catalog file stops startup here.
        builder.Services.AddSingleton(new LocalAgent(AgentHost.Build(agentOptions), agentOptions.ResolvedNodeName()!));
    }
    catch (CatalogException e)
    {
        return CommandLine.Fail([$"catalog error: {e.Message}"]);
    }

    builder.Services.AddHostedService<InProcessAgent>();
}

var app = builder.Build();
app.MapGrpcService<IngestService>();
app.MapNodeApi();
app.MapRepairApi();
app.MapLiveEvents();
app.MapHistory();
app.MapApiDocument();
app.MapRebootApi();
app.MapProbes();
app.MapSimulations();
app.MapMetrics();
app.MapDashboard();

app.Lifetime.ApplicationStarted.Register(() =>
{
    var url = $"http://{(options.ListenAddress == "0.0.0.0" ? "127.0.0.1" : options.ListenAddress)}:{options.HttpPort}";
    app.Logger.LogInformation(
        "node-health coordinator is running: API {Url}/api/nodes, agent ingest (gRPC) on port {Grpc}, data in {Data} ({Persistence})",
        url, options.GrpcPort, options.DataDirectory, options.Persistence);
    if (string.IsNullOrEmpty(options.OperatorToken))
        app.Logger.LogInformation("Operator token (clearing faults through the API) is in {Path}", Path.Combine(options.DataDirectory, OperatorToken.FileName));
    Console.WriteLine($"node-health is running at {url}/api/nodes");
});

try
{
    await app.RunAsync();
}
catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
{
    return CommandLine.Fail([$"{e.Message} Choose free ports with Coordinator:HttpPort and Coordinator:GrpcPort."]);
}

return 0;
