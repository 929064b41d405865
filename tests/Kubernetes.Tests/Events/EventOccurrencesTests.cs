using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;
using NodeHealth.Coordinator.Kubernetes.Events;
using static NodeHealth.Kubernetes.Tests.Support.Writers;

namespace NodeHealth.Kubernetes.Tests.Events;

public sealed class EventOccurrencesTests
{
    private static NodeEvent Warning(string reason, string text, long count, DateTime at) =>
        new(EventType.Warning, ConditionType.KernelReady, reason, $"{reason}: {text}", T0, at, count);

    private static NodeHealthState With(NodeHealthState state, params NodeEvent[] events) => state with { RecentEvents = [.. events] };

    [Fact]
    public void A_warning_finding_is_a_Warning_event_with_the_condition_as_reason_and_the_finding_in_the_note()
    {
        var before = State("node-a", KernelReady(T0));
        var after = With(before, Warning("SoftLockup", "watchdog: BUG: soft lockup - CPU#3 stuck for 23s!", 1, T0.AddMinutes(1)));

        var occurrence = Assert.Single(EventOccurrences.Between(before, after));

        Assert.Equal(new Occurrence("Warning", "KernelReady", "Detected", "SoftLockup: watchdog: BUG: soft lockup - CPU#3 stuck for 23s!", T0.AddMinutes(1), 1), occurrence);
    }

    [Fact]
    public void An_info_finding_is_a_Normal_event_and_a_repeat_counts_only_the_new_occurrences()
    {
        var info = new NodeEvent(EventType.Normal, ConditionType.StorageReady, "IODelays", "IODelays: slow disk", T0, T0, 2);
        var before = With(State("node-a"), info);
        var after = With(State("node-a"), info with { LastTimestamp = T0.AddSeconds(30), Count = 5 });

        Assert.Equal(new Occurrence("Normal", "StorageReady", "Detected", "IODelays: slow disk", T0.AddSeconds(30), 3), Assert.Single(EventOccurrences.Between(before, after)));
    }

    [Fact]
    public void A_fatal_finding_gets_one_Warning_event_when_its_condition_turns_False_and_none_for_its_repeats()
    {
        var ready = State("node-a", KernelReady(T0));
        var panicked = With(State("node-a", KernelPanic(T0.AddMinutes(1))), Warning("KernelPanic", "Kernel panic - not syncing: Fatal exception", 1, T0.AddMinutes(1)));
        var again = With(panicked, Warning("KernelPanic", "Kernel panic - not syncing: Fatal exception", 2, T0.AddMinutes(2)));

        var turnedFalse = Assert.Single(EventOccurrences.Between(ready, panicked));

        Assert.Equal(("Warning", "KernelReady", "ConditionFalse", "KernelPanic: Kernel panic - not syncing: Fatal exception"),
            (turnedFalse.Type, turnedFalse.Reason, turnedFalse.Action, turnedFalse.Note));
        Assert.Empty(EventOccurrences.Between(panicked, again));
    }

    [Fact]
    public void A_clearing_is_a_Normal_event()
    {
        var cleared = new NodeEvent(EventType.Normal, ConditionType.KernelReady, "KernelPanic", "KernelPanic cleared: the node rebooted (boot id a → b)", T0, T0, 1);

        var occurrence = Assert.Single(EventOccurrences.Between(State("node-a"), With(State("node-a"), cleared)));

        Assert.Equal(("Normal", "Cleared", "KernelPanic cleared: the node rebooted (boot id a → b)"), (occurrence.Type, occurrence.Action, occurrence.Note));
    }

    [Fact]
    public void The_first_state_after_a_start_is_the_baseline_and_records_nothing()
    {
        Assert.Empty(EventOccurrences.Between(null, With(State("node-a", KernelPanic(T0)), Warning("SoftLockup", "stuck", 4, T0))));
    }

    [Fact]
    public void A_note_over_one_kilobyte_is_cut_on_a_character_boundary()
    {
        var note = EventOccurrences.Note("KernelBug: " + new string('é', 2000));

        Assert.True(System.Text.Encoding.UTF8.GetByteCount(note) <= 1024);
        Assert.EndsWith("é…", note);
    }
}
