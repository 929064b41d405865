using Microsoft.Extensions.Configuration;
using NodeHealth.Actors.Agent.ContainerRuntime;
using NodeHealth.Actors.Agent.Uplink;
using NodeHealth.Contracts;
using NodeHealth.NodeHost.Accelerators;
using NodeHealth.NodeHost.Reboot;
using NodeHealth.NodeHost.Uplink;

namespace NodeHealth.NodeHost;

/// <summary>The agent's settings, section "Agent" (appsettings, environment Agent__X, or --Agent:X).</summary>
public sealed class AgentOptions
{
    public const string Section = "Agent";

    /// <summary>Kubernetes node name; default NODE_NAME (downward API), else the host name.</summary>
    public string? NodeName { get; set; }

    /// <summary>Where the spool and read positions live; a hostPath in the DaemonSet so a pod restart loses nothing.</summary>
    public string StateDirectory { get; set; } = "/var/lib/node-health/agent";

    /// <summary>The coordinator's gRPC endpoint, e.g. http://node-health-coordinator:8081 (a name resolving to several coordinators is failed over between them).</summary>
    public string? CoordinatorUrl { get; set; }

    /// <summary>Several coordinators' gRPC endpoints, tried in turn from a random one when a stream is lost; added to <see cref="CoordinatorUrl"/>.</summary>
    public List<string> CoordinatorUrls { get; set; } = [];

    /// <summary>Shared ingest token; or <see cref="TokenFile"/>, which wins when both are set.</summary>
    public string? Token { get; set; }

    /// <summary>
    /// A file holding the token, read again at every connect and watched while a stream is open: in Kubernetes the
    /// projected ServiceAccount token (audience node-health) the kubelet rotates, e.g. /var/run/secrets/node-health/token.
    /// </summary>
    public string? TokenFile { get; set; }

    /// <summary>
    /// PEM bundle of the CA(s) that sign the coordinator's ingest certificate. Set: the coordinator URLs are https and
    /// its certificate must chain to one of these (the machine's trust store is not used).
    /// </summary>
    public string? CoordinatorCaFile { get; set; }

    /// <summary>Extra catalog files, applied after the built-in one (same condition and reason replaces).</summary>
    public List<string> CatalogFiles { get; set; } = [];

    /// <summary>Replay this saved kernel log instead of reading /dev/kmsg.</summary>
    public string? KernelLogFile { get; set; }

    /// <summary>Where the systemd journal is read for the catalog's journal-&lt;identifier&gt; rules.</summary>
    public JournalOptions Journal { get; set; } = new();

    /// <summary>
    /// Plain log files read for the catalog's file-&lt;name&gt; rules, by name, under HOST_ROOT (Agent:LogFiles:messages=/var/log/messages);
    /// defaults <see cref="Logs.LogSources.DefaultFiles"/>; an empty path turns one off.
    /// </summary>
    public Dictionary<string, string> LogFiles { get; set; } = new(Logs.LogSources.DefaultFiles);

    /// <summary>How often the agent tells the coordinator it is alive; keep it well under the coordinator's AgentLease.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = UplinkSettings.DefaultHeartbeatInterval;

    /// <summary>The longest wait between attempts to reach the coordinator again (retries start at 1 s and double).</summary>
    public TimeSpan ReconnectMaxBackoff { get; set; } = UplinkSettings.DefaultMaxBackoff;

    /// <summary>How often the storage monitor reads the host's mount table for filesystems turned read-only.</summary>
    public TimeSpan MountsInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Directories (host paths) whose filesystem turning read-only sets StorageReady False; empty: "/", /var/lib/kubelet,
    /// /var/lib/containerd, /var/lib/docker, /run/containerd. Set it when the kubelet or the runtime keep their state elsewhere.
    /// </summary>
    public List<string> CriticalDirectories { get; set; } = [];

    /// <summary>Regular expressions of interface names the networking probes leave alone; unset: EKS's tunnels and InfiniBand.</summary>
    public List<string>? ExcludedInterfaces { get; set; }

    /// <summary>"table/chain" pairs whose REJECT and DROP rules are expected, e.g. "filter/MY-FIREWALL" (EKS's allowedIPTablesChains).</summary>
    public List<string> AllowedFirewallChains { get; set; } = [];

    /// <summary>The container runtime's CRI socket, a host path read under HOST_ROOT (CRI Status for ContainerRuntimeReady).</summary>
    public string CriSocket { get; set; } = ContainerRuntimeSettings.DefaultSocket;

    /// <summary>Services whose systemd restart counter is watched besides kubelet and containerd (&lt;Unit&gt;RepeatedRestart), e.g. "my-custom-service".</summary>
    public List<string> RestartUnits { get; set; } = [];

    /// <summary>Section Agent:Accelerators (expected GPU count, DCGM address, tool deadlines).</summary>
    public AcceleratorOptions Accelerators { get; set; } = new();

    /// <summary>Section Agent:Reboot (off by default; how the host is rebooted when a repair asks).</summary>
    public RebootOptions Reboot { get; set; } = new();

    /// <summary>Section Agent:Metrics (off by default; the Prometheus endpoint's address and port).</summary>
    public Metrics.AgentMetricsOptions Metrics { get; set; } = new();

    public static AgentOptions Bind(IConfiguration configuration)
    {
        var options = new AgentOptions();
        configuration.GetSection(Section).Bind(options);
        return options;
    }

    /// <summary>Every problem, each naming the setting and the fix; empty when the options are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (ResolvedNodeName() is not { } name || !NodeNames.IsValid(name))
            errors.Add($"Agent:NodeName '{ResolvedNodeName()}' is not a valid Kubernetes node name (lowercase letters, digits, '-' and '.', at most 253): set Agent:NodeName or NODE_NAME");
        if (string.IsNullOrWhiteSpace(StateDirectory))
            errors.Add("Agent:StateDirectory is empty: set it to a writable directory such as /var/lib/node-health/agent");
        if (string.IsNullOrEmpty(CoordinatorUrl) && CoordinatorUrls.Count == 0)
            errors.Add("Agent:CoordinatorUrl (or Agent:CoordinatorUrls:0…) must name the coordinator's gRPC port, e.g. http://127.0.0.1:8081");
        if (CoordinatorUrl is { Length: > 0 } && !IsCoordinatorUrl(CoordinatorUrl))
            errors.Add($"Agent:CoordinatorUrl '{CoordinatorUrl}' must be an absolute http(s) URL of the coordinator's gRPC port, e.g. http://127.0.0.1:8081");
        for (var i = 0; i < CoordinatorUrls.Count; i++)
            if (!IsCoordinatorUrl(CoordinatorUrls[i]))
                errors.Add($"Agent:CoordinatorUrls:{i} '{CoordinatorUrls[i]}' must be an absolute http(s) URL of a coordinator's gRPC port, e.g. http://coordinator-0.coordinator:8081");
        if (ResolvedCoordinatorUrls().Select(u => u.Scheme).Distinct().Count() > 1)
            errors.Add("Agent:CoordinatorUrl and Agent:CoordinatorUrls mix http and https: use one scheme for every coordinator");
        if (string.IsNullOrEmpty(Token) && string.IsNullOrEmpty(TokenFile))
            errors.Add("Agent:Token or Agent:TokenFile must be set to the coordinator's ingest token");
        if (HeartbeatInterval < TimeSpan.FromMilliseconds(100))
            errors.Add($"Agent:HeartbeatInterval {HeartbeatInterval} is too short: use e.g. 00:00:10");
        if (ReconnectMaxBackoff < UplinkSettings.DefaultMinBackoff)
            errors.Add($"Agent:ReconnectMaxBackoff {ReconnectMaxBackoff} is shorter than the first retry's {UplinkSettings.DefaultMinBackoff.TotalSeconds:0} s: use e.g. 00:00:30");
        if (MountsInterval < TimeSpan.FromSeconds(1))
            errors.Add($"Agent:MountsInterval {MountsInterval} is too short: use e.g. 00:00:10");
        foreach (var directory in CriticalDirectories.Where(d => !d.StartsWith('/')))
            errors.Add($"Agent:CriticalDirectories '{directory}' is not an absolute host path: write it as the host sees it, e.g. /var/lib/kubelet");

        if (!CriSocket.StartsWith('/'))
            errors.Add($"Agent:CriSocket '{CriSocket}' is not an absolute host path: write it as the host sees it, e.g. {ContainerRuntimeSettings.DefaultSocket}");
        foreach (var unit in RestartUnits.Where(u => UnitRestarts.ReasonFor(u) is null))
            errors.Add($"Agent:RestartUnits '{unit}' is not a service name that makes a reason (letters, digits and '-', optionally ending .service), e.g. my-custom-service");

        foreach (var pattern in ExcludedInterfaces ?? [])
        {
            try
            {
                _ = new System.Text.RegularExpressions.Regex(pattern);
            }
            catch (ArgumentException e)
            {
                errors.Add($"Agent:ExcludedInterfaces '{pattern}' is not a valid regular expression: {e.Message}");
            }
        }

        foreach (var (logName, logPath) in LogFiles)
            if (logPath is { Length: > 0 } && !Path.IsPathRooted(logPath))
                errors.Add($"Agent:LogFiles:{logName} '{logPath}' must be an absolute path (it is read under HOST_ROOT), e.g. /var/log/messages");
        if (Journal.Directory is { Length: > 0 } journal && !Path.IsPathRooted(journal))
            errors.Add($"Agent:Journal:Directory '{journal}' must be an absolute path (it is read under HOST_ROOT), e.g. /var/log/journal");
        errors.AddRange(Accelerators.Validate());
        errors.AddRange(Reboot.Validate());
        errors.AddRange(Metrics.Validate());
        if (TokenFile is { Length: > 0 } file && !File.Exists(file))
            errors.Add($"Agent:TokenFile '{file}' does not exist");
        if (CoordinatorCaFile is { Length: > 0 } caFile)
        {
            try
            {
                _ = CoordinatorTrust.Load(caFile);
            }
            catch (CoordinatorTrustException e)
            {
                errors.Add(e.Message);
            }

            if (ResolvedCoordinatorUrls().Any(u => u.Scheme != Uri.UriSchemeHttps))
                errors.Add($"Agent:CoordinatorCaFile is set, so the coordinator is reached over TLS: write Agent:CoordinatorUrl (and Agent:CoordinatorUrls) as https://…, e.g. https://node-health-coordinator:8081");
        }

        return errors;
    }

    /// <summary>Every coordinator endpoint configured, without repeats (valid ones only; <see cref="Validate"/> names the others).</summary>
    public IReadOnlyList<Uri> ResolvedCoordinatorUrls() =>
        [.. new[] { CoordinatorUrl }.Concat(CoordinatorUrls).Where(u => u is { Length: > 0 } && IsCoordinatorUrl(u)).Select(u => new Uri(u!)).Distinct()];

    private static bool IsCoordinatorUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https";

    public string? ResolvedNodeName() =>
        NodeName is { Length: > 0 } name ? name
        : Environment.GetEnvironmentVariable("NODE_NAME") is { Length: > 0 } env ? env
        : Environment.MachineName.ToLowerInvariant();

    /// <summary>The token file when one is set (read at each connect), else the shared token.</summary>
    public AgentToken ResolvedToken() =>
        TokenFile is { Length: > 0 } file ? AgentToken.FromFile(file) : AgentToken.Fixed(Token ?? "");

    /// <summary>The CA bundle the coordinator's certificate must chain to; null without <see cref="CoordinatorCaFile"/> (check <see cref="Validate"/> first).</summary>
    public CoordinatorTrust? ResolvedTrust() =>
        CoordinatorCaFile is { Length: > 0 } file ? CoordinatorTrust.Load(file) : null;
}

/// <summary>Section Agent:Journal.</summary>
public sealed class JournalOptions
{
    /// <summary>
    /// One directory of journal files to read (under HOST_ROOT) instead of the host's journal, which is
    /// /var/log/journal and /run/log/journal under HOST_ROOT merged, as journalctl shows them.
    /// </summary>
    public string? Directory { get; set; }
}
