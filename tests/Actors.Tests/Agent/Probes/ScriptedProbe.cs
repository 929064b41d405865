using System.Collections.Concurrent;
using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Tests.Agent.Probes;

/// <summary>A probe whose readings the test sets: each poll returns the current one (an outcome, or unreadable).</summary>
public sealed class ScriptedProbe(string name, TimeSpan interval) : IProbe
{
    private volatile Func<ProbeOutcome> _reading = () => ProbeOutcome.Passing;

    public ConcurrentQueue<DateTime> Polls { get; } = new();

    public string Name { get; } = name;

    public ConditionType Condition => ConditionType.NetworkingReady;

    public TimeSpan Interval { get; } = interval;

    public string Description => "a scripted reading";

    public void Failing(params ProbeFailure[] failures) => _reading = () => new ProbeOutcome.Checked(failures);

    public void Unreadable(string why) => _reading = () => throw new ProbeUnavailableException(why);

    public void Absent(string why) => _reading = () => new ProbeOutcome.Absent(why);

    public ProbeOutcome Poll()
    {
        Polls.Enqueue(DateTime.UtcNow);
        return _reading();
    }
}
