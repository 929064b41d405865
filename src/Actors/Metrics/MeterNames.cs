namespace NodeHealth.Actors.Metrics;

/// <summary>
/// The meters node-health publishes (System.Diagnostics.Metrics). Exporters subscribe by these names; instrument names
/// follow OpenTelemetry's form (dots, a unit), which the Prometheus exporter turns into node_health_..._total/_seconds/_bytes.
/// </summary>
public static class MeterNames
{
    public const string Health = "NodeHealth.Health";
    public const string Fleet = "NodeHealth.Fleet";
    public const string Repair = "NodeHealth.Repair";
    public const string Agent = "NodeHealth.Agent";
    public const string Process = "NodeHealth.Process";
    public const string Ingest = "NodeHealth.Ingest";
    public const string Kubernetes = "NodeHealth.Kubernetes";

    /// <summary>What the coordinator exports (its in-process agent's meters included); the agent exports <see cref="AgentMeters"/>.</summary>
    public static readonly string[] CoordinatorMeters = [Health, Fleet, Repair, Ingest, Kubernetes, Agent, Process];

    public static readonly string[] AgentMeters = [Agent, Process];
}
