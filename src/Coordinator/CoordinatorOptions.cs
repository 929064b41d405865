using System.Net;
using NodeHealth.Actors.Detection.Reload;
using NodeHealth.Actors.Health;
using NodeHealth.Contracts.Catalog;
using NodeHealth.Coordinator.Security.Agents;
using NodeHealth.Coordinator.Security.Tls;

namespace NodeHealth.Coordinator;

public enum PersistenceProvider
{
    Sqlite,
    PostgreSql,
}

/// <summary>The coordinator's settings, section "Coordinator" (appsettings, environment Coordinator__X, or --Coordinator:X).</summary>
public sealed class CoordinatorOptions
{
    public const string Section = "Coordinator";

    /// <summary>Address the HTTP and gRPC ports bind to. Loopback by default; 0.0.0.0 in a cluster.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>REST API and dashboard (HTTP/1.1).</summary>
    public int HttpPort { get; set; } = 8080;

    /// <summary>Agent ingest (gRPC over HTTP/2; TLS when <see cref="IngestTls"/> names a certificate).</summary>
    public int GrpcPort { get; set; } = 8081;

    /// <summary>SQLite database, the generated ingest token and the in-process agent's state.</summary>
    public string DataDirectory { get; set; } = DefaultDataDirectory();

    public PersistenceProvider Persistence { get; set; } = PersistenceProvider.Sqlite;

    /// <summary>Required for PostgreSql; for Sqlite it defaults to a file in <see cref="DataDirectory"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Akka remoting, used only between coordinators.</summary>
    public string AkkaHostname { get; set; } = "127.0.0.1";

    /// <summary>0 picks a free port (fine for a one-member cluster).</summary>
    public int AkkaPort { get; set; }

    /// <summary>The host name other coordinators reach this one at, when it binds 0.0.0.0 (a StatefulSet pod's DNS name); default <see cref="AkkaHostname"/>.</summary>
    public string? AkkaPublicHostname { get; set; }

    /// <summary>
    /// Split brain resolver (keep-majority on the coordinator role): how long membership must be stable before an
    /// unreachable coordinator is downed and its shards move; most of a crash's failover time.
    /// </summary>
    public TimeSpan DowningStableAfter { get; set; } = Cluster.ClusterSettings.DefaultDowningStableAfter;

    /// <summary>After a coordinator is downed, how long before its shards (and singletons) start on the survivors.</summary>
    public TimeSpan DownRemovalMargin { get; set; } = Cluster.ClusterSettings.DefaultDownRemovalMargin;

    /// <summary>
    /// Static seed nodes, e.g. the StatefulSet's akka.tcp://node-health@coordinator-0.coordinator:4053 (…-1, …-2). Empty: form a
    /// one-member cluster. The first seed forms a new cluster; every other coordinator joins the first seed that answers.
    /// </summary>
    public List<string> SeedNodes { get; set; } = [];

    /// <summary>Shared token agents must present; when empty one is generated into DataDirectory/ingest-token.</summary>
    public string? IngestToken { get; set; }

    /// <summary>
    /// SharedToken: agents present <see cref="IngestToken"/>. TokenReview (Kubernetes): agents present their projected
    /// ServiceAccount token (audience node-health), checked with a TokenReview; each stream may report only for the token's node.
    /// </summary>
    public AgentAuthentication AgentAuthentication { get; set; } = AgentAuthentication.SharedToken;

    /// <summary>With TokenReview: the service accounts agents run as, "namespace:name" (e.g. node-health:node-health-agent); empty: any.</summary>
    public List<string> AgentServiceAccounts { get; set; } = [];

    /// <summary>Section Coordinator:IngestTls: certificate and key files that turn the gRPC port to TLS.</summary>
    public IngestTlsOptions IngestTls { get; set; } = new();

    /// <summary>
    /// How long an agent may stay silent (agents send a heartbeat every 10 s by default) before its
    /// node's monitored conditions turn Unknown with reason AgentNotReporting.
    /// </summary>
    public TimeSpan AgentLease { get; set; } = NodeHealthSettings.DefaultAgentLease;

    /// <summary>How long each node's events and snapshots are kept (the node timeline, repair audit and policy replay read them).</summary>
    public TimeSpan HistoryRetention { get; set; } = NodeHealthSettings.DefaultHistoryRetention;

    /// <summary>How often each node's history older than <see cref="HistoryRetention"/> is trimmed.</summary>
    public TimeSpan HistoryTrimEvery { get; set; } = NodeHealthSettings.DefaultHistoryTrimEvery;

    /// <summary>
    /// Operator catalog files merged over the built-in one, in order (the same files the agents load: the
    /// coordinator decides what each reason means). All-in-one: shared with the in-process agent.
    /// </summary>
    public List<string> CatalogFiles { get; set; } = [];

    /// <summary>Token operators present to change state (clear a fault); when empty one is generated into DataDirectory/operator-token.</summary>
    public string? OperatorToken { get; set; }

    /// <summary>All-in-one mode: also run an agent for this machine (turn off with --no-agent).</summary>
    public bool InProcessAgent { get; set; } = true;

    public static CoordinatorOptions Bind(IConfiguration configuration)
    {
        var options = new CoordinatorOptions();
        configuration.GetSection(Section).Bind(options);
        return options;
    }

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!IPAddress.TryParse(ListenAddress, out _))
            errors.Add($"Coordinator:ListenAddress '{ListenAddress}' is not an IP address (use 127.0.0.1, or 0.0.0.0 for every interface)");
        foreach (var (name, port) in new[] { ("HttpPort", HttpPort), ("GrpcPort", GrpcPort) })
            if (port is < 1 or > 65535)
                errors.Add($"Coordinator:{name} {port} must be a port between 1 and 65535");
        if (HttpPort == GrpcPort)
            errors.Add("Coordinator:HttpPort and Coordinator:GrpcPort must differ (REST is HTTP/1.1, ingest is HTTP/2)");
        if (AkkaPort is < 0 or > 65535)
            errors.Add($"Coordinator:AkkaPort {AkkaPort} must be 0 (any free port) or a port up to 65535");
        if (string.IsNullOrWhiteSpace(DataDirectory))
            errors.Add("Coordinator:DataDirectory is empty: set it to a writable directory");
        if (Persistence == PersistenceProvider.PostgreSql && string.IsNullOrWhiteSpace(ConnectionString))
            errors.Add("Coordinator:ConnectionString is required with Coordinator:Persistence=PostgreSql, e.g. Host=db;Username=node_health;Password=...;Database=node_health");
        if (AgentLease < TimeSpan.FromSeconds(1))
            errors.Add($"Coordinator:AgentLease {AgentLease} is too short: give agents at least a few heartbeats, e.g. 00:00:40");
        if (HistoryRetention <= TimeSpan.Zero)
            errors.Add($"Coordinator:HistoryRetention {HistoryRetention} must be positive, e.g. 30.00:00:00 for 30 days");
        if (HistoryTrimEvery <= TimeSpan.Zero)
            errors.Add($"Coordinator:HistoryTrimEvery {HistoryTrimEvery} must be positive, e.g. 01:00:00");
        // Each coordinator would keep its own SQLite journal: the same node's history would fork.
        if (SeedNodes.Count > 0 && Persistence == PersistenceProvider.Sqlite)
            errors.Add("Coordinator:SeedNodes with Coordinator:Persistence=Sqlite: several coordinators cannot share a SQLite file; " +
                       "set Coordinator:Persistence=PostgreSql and Coordinator:ConnectionString for a multi-coordinator cluster, or remove the seed nodes");
        foreach (var account in AgentServiceAccounts.Where(a => a.Split(':') is not [{ Length: > 0 }, { Length: > 0 }]))
            errors.Add($"Coordinator:AgentServiceAccounts '{account}' must be namespace:name, e.g. node-health:node-health-agent");
        errors.AddRange(IngestTls.Validate());
        errors.AddRange(Cluster.ClusterSettings.Problems(this));
        return errors;
    }

    public NodeHealthSettings EntitySettings(CatalogHolder catalogs, TimeProvider clock) => new(catalogs.Current, clock)
    {
        Catalogs = catalogs,
        AgentLease = AgentLease,
        HistoryRetention = HistoryRetention,
        HistoryTrimEvery = HistoryTrimEvery,
    };

    public string ResolvedConnectionString() =>
        ConnectionString is { Length: > 0 } configured
            ? configured
            : $"Data Source={Path.Combine(DataDirectory, "coordinator.db")};Pooling=True;Default Timeout=30";

    private static string DefaultDataDirectory() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "node-health");
}
