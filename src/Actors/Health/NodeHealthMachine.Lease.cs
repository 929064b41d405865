using NodeHealth.Contracts.Health;

namespace NodeHealth.Actors.Health;

/// <summary>The agent's lease: silence past it turns what the agent vouched for Unknown.</summary>
public static partial class NodeHealthMachine
{
    /// <summary>The agent was last heard at <paramref name="lastHeard"/>: has its lease run out?</summary>
    public static AgentLeaseExpired? DecideLease(this NodeHealthState state, DateTime lastHeard, TimeSpan lease, DateTime now) =>
        state.IsKnown && state.AgentSilence is null && now - lastHeard >= lease
            ? new AgentLeaseExpired(state.NodeName, now, lastHeard, lease)
            : null;

    /// <summary>The agent was just heard from: ends a silence, if there was one.</summary>
    public static AgentReturned? DecideAgentHeard(this NodeHealthState state, DateTime now) =>
        state.AgentSilence is null ? null : new AgentReturned(state.NodeName, now);
}
