using NodeHealth.Actors.Repair;
using NodeHealth.Actors.Repair.Governor;
using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Actors.Yaml;

namespace NodeHealth.Coordinator.Repair;

/// <summary>The repair settings, section "Repair" (appsettings, environment Repair__X, or --Repair:X); docs/repair-policy.md.</summary>
public sealed class RepairOptions
{
    public const string Section = "Repair";

    /// <summary>Off | DryRun | On. DryRun (the default) decides and records, touching nothing; On is refused until execution is built.</summary>
    public string Mode { get; set; } = nameof(RepairMode.DryRun);

    /// <summary>The policy file (YAML, docs/repair-policy.md), reloaded on change; empty: EKS node auto repair's defaults.</summary>
    public string? PolicyFile { get; set; }

    /// <summary>How often the governor decides: <c>30s</c>, <c>1m</c> (or a TimeSpan, <c>00:00:30</c>).</summary>
    public string DecideEvery { get; set; } = Duration.Text(RepairGovernorSettings.DefaultDecideEvery);

    public static RepairOptions Bind(IConfiguration configuration)
    {
        var options = new RepairOptions();
        configuration.GetSection(Section).Bind(options);
        return options;
    }

    /// <summary>The mode and the decision interval, or what is wrong with them (each problem names the setting and the fix).</summary>
    public (RepairMode Mode, TimeSpan DecideEvery, IReadOnlyList<string> Errors) Resolve()
    {
        var errors = new List<string>();
        if (!Enum.TryParse<RepairMode>(Mode, ignoreCase: true, out var mode) || !Enum.IsDefined(mode) || int.TryParse(Mode, out _))
            errors.Add($"Repair:Mode '{Mode}' is not one of Off, DryRun, On");
        else if (mode == RepairMode.On)
            errors.Add("Repair:Mode On is not available yet: carrying out repairs (cordon, drain, reboot, replace) is not built. " +
                       "Use DryRun to see every decision (GET /api/repairs) or Off to leave repair to EKS node auto repair or Karpenter");
        var every = TimeSpan.Zero;
        if (!Duration.TryParse(DecideEvery, out every) && !TimeSpan.TryParse(DecideEvery, System.Globalization.CultureInfo.InvariantCulture, out every))
            errors.Add($"Repair:DecideEvery '{DecideEvery}' is not a duration: write e.g. 30s, 1m or 00:00:30");
        else if (every < TimeSpan.FromSeconds(1) || every > TimeSpan.FromHours(1))
            errors.Add($"Repair:DecideEvery {DecideEvery} must be between 1s and 1h");
        return (mode, every, errors);
    }
}
