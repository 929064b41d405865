using System.Net;
using System.Text.Json.Nodes;

namespace NodeHealth.EndToEnd.Tests.Support;

/// <summary>Settings of one coordinator under test; each start is a new real process on the same data.</summary>
public sealed class CoordinatorUnderTest : ProcessUnderTest
{
    private readonly IReadOnlyList<string> _catalogFiles;

    /// <summary><paramref name="catalogFiles"/>: the operator catalog files the coordinator judges reasons by (its agents' files).</summary>
    public CoordinatorUnderTest(Database database, IEnumerable<string>? catalogFiles = null) : base("coordinator")
    {
        Database = database;
        _catalogFiles = [.. catalogFiles ?? []];
        DataDirectory = Paths.TempDirectory("nh-coord");
        HttpPort = Paths.FreePort();
        GrpcPort = Paths.FreePort();
        AkkaPort = Paths.FreePort(); // Explicit, so remoting cannot take a port this test already chose.
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public const string Token = "e2e-ingest-token";
    public const string OperatorToken = "e2e-operator-token";

    public Database Database { get; }
    public string DataDirectory { get; }
    protected override string StateDirectory => DataDirectory;
    public int HttpPort { get; }
    public int GrpcPort { get; }
    public int AkkaPort { get; }

    public string AkkaAddress => $"akka.tcp://node-health@127.0.0.1:{AkkaPort}";

    /// <summary>At the next start, forms a cluster with <paramref name="seed"/> (itself, for the first member).</summary>
    public void JoinVia(CoordinatorUnderTest seed) => ExtraArguments.Add($"--Coordinator:SeedNodes:0={seed.AkkaAddress}");

    /// <summary>At the next start, joins the cluster whose static seed nodes are <paramref name="seeds"/> (as every StatefulSet pod lists the same seeds).</summary>
    public void JoinVia(IReadOnlyList<CoordinatorUnderTest> seeds)
    {
        for (var i = 0; i < seeds.Count; i++)
            ExtraArguments.Add($"--Coordinator:SeedNodes:{i}={seeds[i].AkkaAddress}");
    }

    /// <summary>Address the HTTP and gRPC ports bind to (0.0.0.0 to be reached from a network namespace).</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";
    public HttpClient Http { get; }
    public Uri GrpcAddress => new($"http://127.0.0.1:{GrpcPort}");

    protected override IEnumerable<string> Arguments =>
    [
        Paths.CoordinatorDll,
        "--no-agent",
        $"--Coordinator:DataDirectory={DataDirectory}",
        $"--Coordinator:ListenAddress={ListenAddress}",
        $"--Coordinator:HttpPort={HttpPort}",
        $"--Coordinator:GrpcPort={GrpcPort}",
        $"--Coordinator:AkkaPort={AkkaPort}",
        $"--Coordinator:IngestToken={Token}",
        $"--Coordinator:OperatorToken={OperatorToken}",
        $"--Coordinator:Persistence={Database.Provider}",
        .. Database.ConnectionString is { } connection ? [$"--Coordinator:ConnectionString={connection}"] : Array.Empty<string>(),
        .. _catalogFiles.Select((file, i) => $"--Coordinator:CatalogFiles:{i}={file}"),
    ];

    /// <summary>Ready when /readyz says so: a cluster member (Up), not merely a process with an open port.</summary>
    protected override async Task<bool> IsReadyAsync(SystemProcess process)
    {
        try
        {
            using var response = await Http.GetAsync("/readyz");
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (Eventually.IsTransient(e))
        {
            return false;
        }
    }

    /// <summary>GET /api/nodes/{name}; null while the node is unknown (404).</summary>
    public async Task<JsonObject?> NodeAsync(string name)
    {
        using var response = await Http.GetAsync($"/api/nodes/{name}");
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Http.Dispose();
    }
}
