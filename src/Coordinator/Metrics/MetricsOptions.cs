namespace NodeHealth.Coordinator.Metrics;

/// <summary>The coordinator's Prometheus endpoint, section "Metrics": <c>/metrics</c> on Coordinator:HttpPort.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>Serve <c>/metrics</c>; false turns the endpoint and the fleet gauges' reads off.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the fleet gauges (conditions, active faults, silent agents) are read from the fleet view.</summary>
    public TimeSpan FleetEvery { get; set; } = TimeSpan.FromSeconds(15);

    public static MetricsOptions Bind(IConfiguration configuration)
    {
        var options = new MetricsOptions();
        configuration.GetSection(Section).Bind(options);
        return options;
    }

    public IReadOnlyList<string> Validate() =>
        FleetEvery < TimeSpan.FromSeconds(1)
            ? [$"Metrics:FleetEvery {FleetEvery} is too short: the fleet view lists every node each time; use e.g. 00:00:15"]
            : [];
}
