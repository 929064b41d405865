namespace NodeHealth.Coordinator.Kubernetes;

/// <summary>
/// Section "Kubernetes". Which API server: the explicit <see cref="Kubeconfig"/>, else the pod's
/// in-cluster service account, else the file named by KUBECONFIG, else none (all-in-one keeps its
/// conditions in its own API and says so once at startup).
/// </summary>
public sealed class KubernetesOptions
{
    public const string Section = "Kubernetes";

    /// <summary>False: never talk to Kubernetes, even in a cluster.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>A kubeconfig file to use instead of in-cluster config or KUBECONFIG.</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>The field manager recorded on our writes (managedFields).</summary>
    public string FieldManager { get; set; } = KubernetesApi.DefaultFieldManager;

    /// <summary>Client-side rate limit for this coordinator's requests (client-go's QPS and burst).</summary>
    public double Qps { get; set; } = 5;

    public int Burst { get; set; } = 10;

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Condition changes arriving within this window go out as one PATCH per node.</summary>
    public TimeSpan Coalesce { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How often lastHeartbeatTime is refreshed when nothing changes.</summary>
    public TimeSpan HeartbeatEvery { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Namespace of the events we record about nodes (Nodes have none; kubectl describe node finds them in default).</summary>
    public string EventNamespace { get; set; } = "default";

    /// <summary>Events' reportingInstance: this coordinator's pod (POD_NAME from the downward API), else the host name.</summary>
    public string? ReportingInstance { get; set; }

    public static KubernetesOptions Bind(IConfiguration configuration)
    {
        var options = new KubernetesOptions();
        configuration.GetSection(Section).Bind(options);
        return options;
    }

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Qps <= 0)
            errors.Add($"Kubernetes:Qps {Qps} must be positive, e.g. 5");
        if (Burst < 1)
            errors.Add($"Kubernetes:Burst {Burst} must be at least 1, e.g. 10");
        if (RequestTimeout <= TimeSpan.Zero)
            errors.Add($"Kubernetes:RequestTimeout {RequestTimeout} must be positive, e.g. 00:00:10");
        if (Coalesce < TimeSpan.Zero)
            errors.Add($"Kubernetes:Coalesce {Coalesce} must not be negative, e.g. 00:00:00.200");
        if (HeartbeatEvery < TimeSpan.FromSeconds(1))
            errors.Add($"Kubernetes:HeartbeatEvery {HeartbeatEvery} is too short, e.g. 00:05:00");
        if (string.IsNullOrWhiteSpace(FieldManager) || FieldManager.Length > 128)
            errors.Add($"Kubernetes:FieldManager '{FieldManager}' must be 1 to 128 printable characters, e.g. node-health");
        if (Kubeconfig is { Length: > 0 } file && !File.Exists(file))
            errors.Add($"Kubernetes:Kubeconfig '{file}' does not exist: name a kubeconfig file, or remove the setting to use in-cluster config or KUBECONFIG");
        return errors;
    }

    public string ResolvedReportingInstance() =>
        ReportingInstance is { Length: > 0 } set ? set : Environment.GetEnvironmentVariable("POD_NAME") is { Length: > 0 } pod ? pod : Environment.MachineName;
}
