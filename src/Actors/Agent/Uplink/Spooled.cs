using NodeHealth.Contracts;

namespace NodeHealth.Actors.Agent.Uplink;

/// <summary>One unacknowledged delivery: a finding or a probe recovery (exactly one), in the order the uplink stamped them.</summary>
public sealed record Spooled(Finding? Finding = null, ProbeRecovery? Recovery = null)
{
    public string AgentBootId => Finding?.AgentBootId ?? Recovery!.AgentBootId;

    public long Sequence => Finding?.Sequence ?? Recovery!.Sequence;

    /// <summary>For logs: "Fatal InterfaceNotUp", "recovery of InterfaceNotUp".</summary>
    public string Describe() => Finding is { } f ? $"{f.Severity} {f.Reason}" : $"recovery of {Recovery!.Reason}";

    public static implicit operator Spooled(Finding finding) => new(finding);

    public static implicit operator Spooled(ProbeRecovery recovery) => new(Recovery: recovery);
}
