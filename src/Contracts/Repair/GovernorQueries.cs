using System.Collections.Immutable;
using ProtoBuf;

namespace NodeHealth.Contracts.Repair;

/// <summary>
/// Ask the repair governor (the singleton, maybe on another coordinator) for the latest decision per node, or only
/// <see cref="Node"/>'s when it is not empty; replies <see cref="RepairList"/>.
/// </summary>
[ProtoContract(SkipConstructor = true)]
public sealed record GetRepairs(
    [property: ProtoMember(1)] string Node = "") : IHealthProtocolMessage;

/// <summary>The mode (Off, DryRun, On) and policy in force, the problem of a refused policy edit (empty: none), and the latest decisions.</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record RepairList(
    [property: ProtoMember(1)] string Mode,
    [property: ProtoMember(2)] string Policy,
    [property: ProtoMember(3)] string PolicyProblem,
    [property: ProtoMember(4)] ImmutableArray<RepairDecisionRecorded> Decisions) : IHealthProtocolMessage;
