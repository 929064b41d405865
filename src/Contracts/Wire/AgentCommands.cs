using ProtoBuf;

namespace NodeHealth.Contracts.Wire;

/// <summary>What a command asks of the agent. Append kinds; an agent refuses a kind it does not know.</summary>
public enum AgentCommandKind
{
    Unknown = 0,
    Reboot = 1,
}

/// <summary>
/// Coordinator → agent: do this once. <see cref="Id"/> is the caller's (a repair's id): the agent executes an id at most
/// once, across reconnects and its own restarts, and answers a repeat with the result it recorded. <see cref="ForHostBootId"/>
/// is the node's boot the coordinator knew when the command was asked for (empty: unknown): an agent on another boot
/// (the host rebooted since, or it is a replacement machine under the same name) refuses a command it never executed.
/// </summary>
[ProtoContract(SkipConstructor = true)]
public sealed record AgentCommand(
    [property: ProtoMember(1)] string Id,
    [property: ProtoMember(2)] AgentCommandKind Kind,
    [property: ProtoMember(3)] DateTime RequestedAt,
    [property: ProtoMember(4)] string ForHostBootId = "") : IHealthProtocolMessage;

/// <summary>How the agent answered a command. Unknown: not answered yet.</summary>
public enum AgentCommandOutcome
{
    Unknown = 0,
    /// <summary>It did what was asked (a reboot: the reboot was started or, in kured mode, the sentinel set).</summary>
    Accepted = 1,
    /// <summary>It would not (rebooting is not enabled, an unknown kind, another boot): nothing was done.</summary>
    Refused = 2,
    /// <summary>It tried and could not (the reboot command failed); it does not try again under this id.</summary>
    Failed = 3,
}

/// <summary>Agent → coordinator: the answer to command <see cref="Id"/>; <see cref="HostBootId"/> is the boot the agent ran it on.</summary>
[ProtoContract(SkipConstructor = true)]
public sealed record AgentCommandResult(
    [property: ProtoMember(1)] string Id,
    [property: ProtoMember(2)] AgentCommandOutcome Outcome,
    [property: ProtoMember(3)] string Detail,
    [property: ProtoMember(4)] string HostBootId) : IHealthProtocolMessage;

/// <summary>What both ends accept as a command id: a repair id, bounded and printable (it names files' records and log lines).</summary>
public static class AgentCommandIds
{
    public const int MaxLength = 128;

    /// <summary>Null when <paramref name="id"/> is usable; otherwise what is wrong with it.</summary>
    public static string? Problem(string? id) => id switch
    {
        null or "" => "the command id is empty",
        { Length: > MaxLength } => $"the command id is longer than {MaxLength} characters",
        _ when !id.All(c => c is > ' ' and <= '~') => "the command id must be printable ASCII without spaces",
        _ => null,
    };
}
