using System.Collections.Immutable;
using ProtoBuf;

namespace NodeHealth.Contracts.Health;

/// <summary>Persist these findings; replies <see cref="Wire.BatchAck"/> once they are in the journal.</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record RecordFindings(
    [property: ProtoMember(1)] string NodeName,
    [property: ProtoMember(2)] string AgentBootId,
    [property: ProtoMember(3)] ImmutableArray<Finding> Findings) : IHealthProtocolMessage, IWithNodeName;

/// <summary>The agent's complete monitor state; replies <see cref="MonitorsAck"/>.</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record ReportMonitors(
    [property: ProtoMember(1)] string NodeName,
    [property: ProtoMember(2)] ImmutableArray<MonitorStatus> Monitors) : IHealthProtocolMessage, IWithNodeName;

[ProtoContract(SkipConstructor = true)]
public sealed record MonitorsAck(
    [property: ProtoMember(1)] string NodeName) : IHealthProtocolMessage;

/// <summary>The node's agent is alive (a heartbeat on its stream): renews its lease. No reply, nothing persisted.</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record RenewAgentLease(
    [property: ProtoMember(1)] string NodeName) : IHealthProtocolMessage, IWithNodeName;

/// <summary>Replies the <see cref="NodeHealthState"/>, or <see cref="NodeNotFound"/> for a node never heard of.</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record GetNodeHealth(
    [property: ProtoMember(1)] string NodeName) : IHealthProtocolMessage, IWithNodeName;

[ProtoContract(SkipConstructor = true)]
public sealed record NodeNotFound(
    [property: ProtoMember(1)] string NodeName) : IHealthProtocolMessage;
