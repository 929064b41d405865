using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Agent.ContainerRuntime;

/// <summary>
/// ContainerRuntimeUnresponsive and ContainerRuntimeNotReady from the runtime's own CRI Status; absent where no runtime
/// socket has ever been there. Every call has a deadline, so a hung runtime costs one poll's deadline, never the monitor.
/// </summary>
public sealed class CriStatusProbe(IRuntimeStatusSource runtime, TimeProvider clock, ContainerRuntimeSettings settings) : IProbe
{
    private RuntimeHealth _health = RuntimeHealth.Initial;

    public string Name => "cri";

    public ConditionType Condition => ConditionType.ContainerRuntimeReady;

    public TimeSpan Interval => settings.CriInterval;

    public string Description => $"CRI Status at {runtime.Endpoint}";

    public ProbeOutcome Poll()
    {
        // Poll runs on a pool thread (ProbeMonitor), one at a time; the source itself bounds the wait by the deadline.
        var answer = runtime.StatusAsync(settings.CriDeadline).GetAwaiter().GetResult();
        var verdict = RuntimeHealthCheck.Observe(_health, answer, clock.GetUtcNow().UtcDateTime, settings.UnresponsiveAfter, runtime.Endpoint);
        _health = verdict.State;
        return verdict.Outcome ?? throw new ProbeUnavailableException(verdict.Unknown!);
    }
}
