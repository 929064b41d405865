using NodeHealth.Actors.Repair;
using NodeHealth.Actors.Repair.Execution;
using NodeHealth.Actors.Repair.Governor;
using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Actors.Yaml;

namespace NodeHealth.Coordinator.Repair;

/// <summary>The repair settings, section "Repair" (appsettings, environment Repair__X, or --Repair:X); docs/repair-policy.md.</summary>
public sealed class RepairOptions
{
    public const string Section = "Repair";

    /// <summary>Off | DryRun | On. DryRun (the default) decides and records, touching nothing; On carries repairs out and needs a Kubernetes connection.</summary>
    public string Mode { get; set; } = nameof(RepairMode.DryRun);

    /// <summary>The policy file (YAML, docs/repair-policy.md), reloaded on change; empty: EKS node auto repair's defaults.</summary>
    public string? PolicyFile { get; set; }

    /// <summary>How often the governor decides: <c>30s</c>, <c>1m</c> (or a TimeSpan, <c>00:00:30</c>).</summary>
    public string DecideEvery { get; set; } = Duration.Text(RepairGovernorSettings.DefaultDecideEvery);

    /// <summary>How long a drain evicts (honouring PodDisruptionBudgets) before it deletes what is left; EKS's 15 minutes.</summary>
    public string DrainTimeout { get; set; } = "15m";

    /// <summary>The grace period of the pods deleted after the drain timeout; empty: each pod's own.</summary>
    public string? DeleteGracePeriod { get; set; }

    /// <summary>How long a rebooted node has to come back healthy, or a replaced one to leave the fleet, before the repair fails.</summary>
    public string VerifyTimeout { get; set; } = "15m";

    public static RepairOptions Bind(IConfiguration configuration)
    {
        var options = new RepairOptions();
        configuration.GetSection(Section).Bind(options);
        return options;
    }

    /// <summary>
    /// The mode, the decision interval and the execution timings, or what is wrong with them (each problem names the
    /// setting and the fix). On needs <paramref name="kubernetesConnected"/>: cordon, drain and replace act on the cluster.
    /// </summary>
    public (RepairMode Mode, TimeSpan DecideEvery, ExecutionTimings Timings, IReadOnlyList<string> Errors) Resolve(bool kubernetesConnected)
    {
        var errors = new List<string>();
        if (!Enum.TryParse<RepairMode>(Mode, ignoreCase: true, out var mode) || !Enum.IsDefined(mode) || int.TryParse(Mode, out _))
            errors.Add($"Repair:Mode '{Mode}' is not one of Off, DryRun, On");
        else if (mode == RepairMode.On && !kubernetesConnected)
            errors.Add("Repair:Mode On needs a Kubernetes connection (in-cluster, KUBECONFIG or Kubernetes:Kubeconfig): cordon, drain and replace act on the cluster. " +
                       "Use DryRun to see every decision (GET /api/repairs) or Off to leave repair to EKS node auto repair or Karpenter");
        var every = Within(nameof(DecideEvery), DecideEvery, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), errors);
        var drain = Within(nameof(DrainTimeout), DrainTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1), errors);
        var verify = Within(nameof(VerifyTimeout), VerifyTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1), errors);
        TimeSpan? grace = string.IsNullOrWhiteSpace(DeleteGracePeriod) ? null : Within(nameof(DeleteGracePeriod), DeleteGracePeriod, TimeSpan.Zero, TimeSpan.FromHours(1), errors);
        return (mode, every, new ExecutionTimings(new DrainSettings(drain, grace), verify), errors);
    }

    private static TimeSpan Within(string setting, string text, TimeSpan least, TimeSpan most, List<string> errors)
    {
        if (!Duration.TryParse(text, out var value) && !TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out value))
            errors.Add($"Repair:{setting} '{text}' is not a duration: write e.g. 30s, 15m or 00:15:00");
        else if (value < least || value > most)
            errors.Add($"Repair:{setting} {text} must be between {Duration.Text(least)} and {Duration.Text(most)}");
        return value;
    }
}

/// <summary>How long a drain and a verification may take (Repair:DrainTimeout, DeleteGracePeriod, VerifyTimeout).</summary>
public sealed record ExecutionTimings(DrainSettings Drain, TimeSpan VerifyTimeout);
