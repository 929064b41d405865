using NodeHealth.Actors.Agent.Probes;

namespace NodeHealth.Actors.Agent.ContainerRuntime;

/// <summary>What the CRI probe remembers between polls: since when the runtime has not answered, what it said last, whether it has answered this run.</summary>
public sealed record RuntimeHealth(DateTime? UnansweredSince, IReadOnlyList<ProbeFailure> LastAnswered, bool Seen)
{
    public static RuntimeHealth Initial { get; } = new(null, [], false);
}

/// <summary>One poll's verdict: the outcome, or null with <see cref="Unknown"/> when nothing can be said yet.</summary>
public sealed record RuntimeVerdict(RuntimeHealth State, ProbeOutcome? Outcome, string? Unknown = null);

/// <summary>
/// The pure half of the CRI probe. RuntimeReady false (or missing, as the kubelet reads it) is ContainerRuntimeNotReady;
/// no answer for <c>unresponsiveAfter</c> is ContainerRuntimeUnresponsive. While it does not answer, what it said last
/// still stands (a runtime that was not ready and then hangs has not become ready).
/// </summary>
public static class RuntimeHealthCheck
{
    public const string Unresponsive = "ContainerRuntimeUnresponsive";
    public const string NotReady = "ContainerRuntimeNotReady";
    public const string RuntimeReady = "RuntimeReady";
    public static readonly TimeSpan DefaultUnresponsiveAfter = TimeSpan.FromMinutes(2);

    public static RuntimeVerdict Observe(RuntimeHealth before, RuntimeAnswer answer, DateTime now, TimeSpan unresponsiveAfter, string endpoint)
    {
        switch (answer)
        {
            case RuntimeAnswer.Answered answered:
                var failures = Failures(answered.Conditions);
                return new RuntimeVerdict(new RuntimeHealth(null, failures, true), new ProbeOutcome.Checked(failures));
            case RuntimeAnswer.NoSocket none when !before.Seen:
                return new RuntimeVerdict(before, new ProbeOutcome.Absent($"no container runtime socket at {none.Path}"));
        }

        var why = answer switch
        {
            RuntimeAnswer.NoSocket none => $"its socket {none.Path} is gone",
            RuntimeAnswer.NotAnswered notAnswered => notAnswered.Why,
            _ => throw new ArgumentOutOfRangeException(nameof(answer), answer, "unknown runtime answer"),
        };
        var since = before.UnansweredSince ?? now;
        var state = before with { UnansweredSince = since };
        if (now - since >= unresponsiveAfter)
            return new RuntimeVerdict(state, new ProbeOutcome.Checked([.. before.LastAnswered,
                new ProbeFailure(Unresponsive, null, $"the container runtime at {endpoint} has not answered CRI Status since {since:yyyy-MM-ddTHH:mm:ssZ} ({(now - since).TotalSeconds:0} s): {why}")]));
        // Too early to call it hung; before any answer this run there is no last word to stand by either.
        return before.Seen
            ? new RuntimeVerdict(state, new ProbeOutcome.Checked(before.LastAnswered))
            : new RuntimeVerdict(state, null, $"the container runtime at {endpoint} has not answered yet: {why}");
    }

    /// <summary>ContainerRuntimeNotReady when RuntimeReady is false or absent; other conditions (NetworkReady) are not the runtime's health.</summary>
    public static IReadOnlyList<ProbeFailure> Failures(IReadOnlyList<RuntimeCondition> conditions)
    {
        var ready = conditions.FirstOrDefault(c => c.Type == RuntimeReady);
        if (ready is { Status: true })
            return [];
        var detail = ready is null ? "it reports no RuntimeReady condition"
            : string.Join(": ", new[] { "RuntimeReady is false", ready.Reason, ready.Message }.Where(s => s.Length > 0));
        return [new ProbeFailure(NotReady, null, $"the container runtime is not ready: {detail}")];
    }
}
