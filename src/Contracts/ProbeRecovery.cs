using System.Collections.Immutable;
using ProtoBuf;

namespace NodeHealth.Contracts;

/// <summary>
/// A probe that raised a fault sees its check pass again. It travels with findings: stamped with the
/// agent run and a sequence number from the same counter, spooled, acknowledged and deduplicated by
/// (AgentBootId, Sequence), so a recovery is applied in order with the findings around it. The
/// coordinator clears the (Condition, Reason) fault if it is active with recovery probe and was not
/// observed after <see cref="ObservedAt"/>; otherwise the recovery changes nothing.
/// <see cref="Entity"/> names what passed (e.g. "eth0", several comma-separated; null: the host).
/// A family recovery names a reason template (<c>DCGMHealthCode{code}</c>) as <see cref="Reason"/>: the probe checked
/// the whole family and only the concrete reasons in <see cref="StillFailing"/> fail, so every other active fault of
/// the family with recovery probe clears (an open family's values cannot be named in advance, e.g. after an agent restart).
/// </summary>
[ProtoContract(SkipConstructor = true)]
public sealed record ProbeRecovery(
    [property: ProtoMember(1)] string NodeName,
    [property: ProtoMember(2)] ConditionType Condition,
    [property: ProtoMember(3)] string Reason,
    [property: ProtoMember(4)] string? Entity,
    [property: ProtoMember(5)] string Probe,
    [property: ProtoMember(6)] string Detail,
    [property: ProtoMember(7)] DateTime ObservedAt,
    [property: ProtoMember(8)] string AgentBootId,
    [property: ProtoMember(9)] long Sequence,
    [property: ProtoMember(10)] string HostBootId = "") : IHealthProtocolMessage
{
    private readonly ImmutableArray<string> _stillFailing;

    /// <summary>A family recovery's concrete reasons failing now (they stay active); empty for any other recovery.</summary>
    [ProtoMember(11)]
    public ImmutableArray<string> StillFailing
    {
        get => _stillFailing.IsDefault ? [] : _stillFailing; // protobuf-net reads an absent list as default; callers never see one.
        init => _stillFailing = value.IsDefaultOrEmpty ? default : value; // Empty and absent are one value, also to equality.
    }
}
