using System.Collections.Immutable;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Repair.Policy;

/// <summary>The conditions repair may act on, and the ones it never acts on (EKS node auto repair's table).</summary>
public static class RepairConditions
{
    /// <summary>The kubelet's own condition.</summary>
    public const string KubeletReady = "Ready";

    /// <summary>The standard kubelet pressures: they never trigger repair (DESIGN §5, as EKS).</summary>
    public static readonly ImmutableArray<string> Never = ["DiskPressure", "MemoryPressure", "PIDPressure"];

    private static readonly PolicyClause Eks10 = new("waits 10m, action per reason from the catalog", "default (EKS)");
    private static readonly PolicyClause Eks30 = new("waits 30m, action per reason from the catalog", "default (EKS)");

    /// <summary>AcceleratedHardwareReady after 10 minutes; the other four and the kubelet's Ready after 30 (EKS).</summary>
    public static readonly ImmutableArray<ConditionRule> DefaultRules =
    [
        new(nameof(ConditionType.AcceleratedHardwareReady), TimeSpan.FromMinutes(10), null, Eks10),
        new(nameof(ConditionType.KernelReady), TimeSpan.FromMinutes(30), null, Eks30),
        new(nameof(ConditionType.StorageReady), TimeSpan.FromMinutes(30), null, Eks30),
        new(nameof(ConditionType.NetworkingReady), TimeSpan.FromMinutes(30), null, Eks30),
        new(nameof(ConditionType.ContainerRuntimeReady), TimeSpan.FromMinutes(30), null, Eks30),
        new(KubeletReady, TimeSpan.FromMinutes(30), RepairAction.Replace, new PolicyClause("waits 30m, then Replace", "default (EKS)")),
    ];

    public static readonly ImmutableArray<string> Repairable = [.. DefaultRules.Select(r => r.Condition)];

    /// <summary>One of our five conditions (the catalog knows its reasons), or null for the kubelet's Ready.</summary>
    public static ConditionType? Ours(string condition) =>
        Enum.TryParse<ConditionType>(condition, ignoreCase: false, out var type) && ConditionTypes.IsDefined(type) && type.ToString() == condition ? type : null;
}
