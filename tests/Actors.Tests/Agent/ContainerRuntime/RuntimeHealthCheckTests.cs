using NodeHealth.Actors.Agent.ContainerRuntime;
using NodeHealth.Actors.Agent.Probes;

namespace NodeHealth.Actors.Tests.Agent.ContainerRuntime;

public sealed class RuntimeHealthCheckTests
{
    private static readonly DateTime T0 = new(2026, 3, 1, 6, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan TwoMinutes = TimeSpan.FromMinutes(2);
    private const string Socket = "/run/containerd/containerd.sock under /host";

    private static readonly RuntimeAnswer Healthy = new RuntimeAnswer.Answered(
    [
        new RuntimeCondition("RuntimeReady", true, "", ""),
        new RuntimeCondition("NetworkReady", true, "", ""),
    ]);

    private static readonly RuntimeAnswer NotReady = new RuntimeAnswer.Answered(
    [
        new RuntimeCondition("RuntimeReady", false, "ContainerdNotReady", "cri plugin not initialized"),
        new RuntimeCondition("NetworkReady", true, "", ""),
    ]);

    private static readonly RuntimeAnswer Hung = new RuntimeAnswer.NotAnswered("no answer within 5 s");

    private static RuntimeVerdict Observe(RuntimeHealth before, RuntimeAnswer answer, DateTime at) =>
        RuntimeHealthCheck.Observe(before, answer, at, TwoMinutes, Socket);

    private static IReadOnlyList<string> Reasons(RuntimeVerdict verdict) =>
        [.. Assert.IsType<ProbeOutcome.Checked>(verdict.Outcome).Failing.Select(f => f.Reason)];

    [Fact]
    public void A_ready_runtime_passes()
    {
        Assert.Empty(Reasons(Observe(RuntimeHealth.Initial, Healthy, T0)));
    }

    [Fact]
    public void RuntimeReady_false_is_ContainerRuntimeNotReady_with_the_runtimes_reason_and_message()
    {
        var failure = Assert.Single(Assert.IsType<ProbeOutcome.Checked>(Observe(RuntimeHealth.Initial, NotReady, T0).Outcome).Failing);

        Assert.Equal("ContainerRuntimeNotReady", failure.Reason);
        Assert.Contains("ContainerdNotReady: cri plugin not initialized", failure.Message);
    }

    [Fact]
    public void A_runtime_reporting_no_RuntimeReady_condition_is_not_ready_as_the_kubelet_reads_it()
    {
        var onlyNetwork = new RuntimeAnswer.Answered([new RuntimeCondition("NetworkReady", false, "NetworkPluginNotReady", "cni config uninitialized")]);

        Assert.Equal(["ContainerRuntimeNotReady"], Reasons(Observe(RuntimeHealth.Initial, onlyNetwork, T0)));
    }

    [Fact]
    public void NetworkReady_false_alone_is_not_the_runtimes_fault()
    {
        var cniMissing = new RuntimeAnswer.Answered(
        [
            new RuntimeCondition("RuntimeReady", true, "", ""),
            new RuntimeCondition("NetworkReady", false, "NetworkPluginNotReady", "cni plugin not initialized"),
        ]);

        Assert.Empty(Reasons(Observe(RuntimeHealth.Initial, cniMissing, T0)));
    }

    [Fact]
    public void No_answer_turns_ContainerRuntimeUnresponsive_only_after_two_minutes_and_an_answer_clears_it()
    {
        var state = Observe(RuntimeHealth.Initial, Healthy, T0).State;

        var first = Observe(state, Hung, T0.AddSeconds(10));
        var almost = Observe(first.State, Hung, T0.AddSeconds(129));
        var hung = Observe(almost.State, Hung, T0.AddSeconds(130));
        var back = Observe(hung.State, Healthy, T0.AddSeconds(140));

        Assert.Empty(Reasons(first));
        Assert.Empty(Reasons(almost));
        var failure = Assert.Single(Assert.IsType<ProbeOutcome.Checked>(hung.Outcome).Failing);
        Assert.Equal("ContainerRuntimeUnresponsive", failure.Reason);
        Assert.Contains("since 2026-03-01T06:00:10Z (120 s): no answer within 5 s", failure.Message);
        Assert.Contains(Socket, failure.Message);
        Assert.Empty(Reasons(back));
        Assert.Null(back.State.UnansweredSince);
    }

    [Fact]
    public void A_runtime_that_was_not_ready_and_stops_answering_stays_not_ready()
    {
        var state = Observe(RuntimeHealth.Initial, NotReady, T0).State;

        var silent = Observe(state, Hung, T0.AddSeconds(10));
        var hung = Observe(silent.State, Hung, T0.AddMinutes(3));

        Assert.Equal(["ContainerRuntimeNotReady"], Reasons(silent));
        Assert.Equal(["ContainerRuntimeNotReady", "ContainerRuntimeUnresponsive"], Reasons(hung));
    }

    [Fact]
    public void A_host_that_never_had_a_runtime_socket_has_nothing_to_watch()
    {
        var verdict = Observe(RuntimeHealth.Initial, new RuntimeAnswer.NoSocket(Socket), T0);

        Assert.Contains(Socket, Assert.IsType<ProbeOutcome.Absent>(verdict.Outcome).Why);
    }

    [Fact]
    public void A_socket_that_disappears_after_answering_is_a_runtime_that_does_not_answer()
    {
        var state = Observe(RuntimeHealth.Initial, Healthy, T0).State;

        var gone = Observe(state, new RuntimeAnswer.NoSocket(Socket), T0.AddSeconds(10));
        var stillGone = Observe(gone.State, new RuntimeAnswer.NoSocket(Socket), T0.AddMinutes(3));

        Assert.Empty(Reasons(gone));
        Assert.Equal(["ContainerRuntimeUnresponsive"], Reasons(stillGone));
        Assert.Contains("is gone", Assert.Single(Assert.IsType<ProbeOutcome.Checked>(stillGone.Outcome).Failing).Message);
    }

    [Fact]
    public void Before_its_first_answer_a_silent_runtime_is_unknown_then_unresponsive()
    {
        var early = Observe(RuntimeHealth.Initial, Hung, T0);
        var late = Observe(early.State, Hung, T0.AddMinutes(2));

        Assert.Null(early.Outcome);
        Assert.Contains("has not answered yet: no answer within 5 s", early.Unknown);
        Assert.Equal(["ContainerRuntimeUnresponsive"], Reasons(late));
    }
}
