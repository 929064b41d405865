using k8s.Models;
using NodeHealth.Contracts.Catalog;
using NodeHealth.Contracts.Repair;
using NodeHealth.Coordinator.Repair.Events;

namespace NodeHealth.Coordinator.Tests.Repair;

public sealed class RepairEventNotesTests
{
    private static readonly DateTime At = new(2026, 11, 27, 12, 11, 0, DateTimeKind.Utc);

    private static RepairDecisionRecorded Decision(string verdict, bool dryRun = false, string explanation = "why") =>
        new("gpu-1", At, "workers", "eu-west-1a", "AcceleratedHardwareReady", "NvidiaXID79Error", RepairAction.Replace, verdict,
            verdict == "Deny" ? "PoolParallel" : "None", dryRun, null, "rule", "clause", [], null, explanation);

    [Fact]
    public void Starts_denials_and_unrepairable_nodes_are_shown_and_a_wait_is_not()
    {
        Assert.Equal(new RepairEventNote("Normal", "RepairDecided", "Replace: why"), RepairEventNotes.For(Decision("Start")));
        Assert.Equal(new RepairEventNote("Normal", "RepairWouldStart", "Replace: why"), RepairEventNotes.For(Decision("Start", dryRun: true)));
        Assert.Equal(new RepairEventNote("Warning", "RepairDenied", "Replace denied (PoolParallel): why"), RepairEventNotes.For(Decision("Deny")));
        Assert.Equal("RepairNoAction", RepairEventNotes.For(Decision("NoAction"))!.Reason);
        Assert.Null(RepairEventNotes.For(Decision("Wait")));
        Assert.Null(RepairEventNotes.For(Decision("InFlight")));
    }

    [Fact]
    public void A_zones_trip_and_resume_and_the_operators_pause_and_resume_say_why_and_who()
    {
        const string storm = "3 of 10 nodes in zone eu-west-1a turned unhealthy within 10m, more than 20 %";
        Assert.Equal(new RepairEventNote("Warning", "RepairZonePaused",
                $"new repairs in zone eu-west-1a are paused, its storm breaker tripped: {storm}. It resumes after its cool-down without a storm, or by POST /api/repairs/zones/eu-west-1a/resume"),
            RepairEventNotes.For(new RepairZoneTripped("eu-west-1a", At, storm)));
        Assert.Equal(new RepairEventNote("Normal", "RepairZoneResumed", "new repairs in zone eu-west-1a may start again: resumed by bob"),
            RepairEventNotes.For(new RepairZoneClosed("eu-west-1a", At, "resumed by bob", ByOperator: true)));
        Assert.Equal(new RepairEventNote("Warning", "RepairPaused", "new repairs are paused by alice: driver rollout; repairs in flight go on"),
            RepairEventNotes.For(new RepairPausedByOperator(At, "alice", "driver rollout")));
        Assert.Equal("new repairs are paused by alice; repairs in flight go on", RepairEventNotes.For(new RepairPausedByOperator(At, "alice", ""))!.Note);
        Assert.Equal(new RepairEventNote("Normal", "RepairResumed", "new repairs may start again: resumed by alice"),
            RepairEventNotes.For(new RepairResumedByOperator(At, "alice")));
    }

    private static readonly V1ObjectReference Coordinator = new() { ApiVersion = "v1", Kind = "Pod", NamespaceProperty = "node-health", Name = "coordinator-0" };

    private static readonly RepairEventNote Paused = new("Warning", "RepairZonePaused", "paused");

    [Fact]
    public void A_record_about_a_zone_is_shown_on_each_node_it_holds()
    {
        var shown = RepairEventWriter.Regarding(["gpu-2", "gpu-1"], Paused, Coordinator);

        Assert.Equal([("Node", "gpu-1", "paused"), ("Node", "gpu-2", "paused")], shown.Select(s => (s.Regarding.Kind, s.Regarding.Name, s.Note.Note)));
        Assert.All(shown, s => Assert.Equal(("v1", null), (s.Regarding.ApiVersion, s.Regarding.NamespaceProperty)));
    }

    [Fact]
    public void A_record_about_many_nodes_is_shown_on_the_first_twenty_by_name_and_counts_the_rest()
    {
        var shown = RepairEventWriter.Regarding([.. Enumerable.Range(0, 57).Select(i => $"gpu-{i:D2}").Reverse()], Paused, Coordinator);

        Assert.Equal(Enumerable.Range(0, RepairEventNotes.MaxNodesPerRecord).Select(i => $"gpu-{i:D2}"), shown.Select(s => s.Regarding.Name));
        Assert.All(shown, s => Assert.Equal("paused (shown on 20 of the 57 unhealthy nodes concerned)", s.Note.Note));
    }

    [Fact]
    public void A_record_that_holds_no_node_is_shown_on_the_coordinator()
    {
        var (regarding, note) = Assert.Single(RepairEventWriter.Regarding([], Paused, Coordinator));

        Assert.Same(Coordinator, regarding);
        Assert.Equal(Paused with { Note = "paused (no unhealthy node is concerned)" }, note);
    }

    [Fact]
    public void A_repair_shows_its_start_each_step_and_its_end()
    {
        Assert.Equal(new RepairEventNote("Warning", "RepairStarted", "Replace for AcceleratedHardwareReady (NvidiaXID79Error), repair r-1"),
            RepairEventNotes.For(new RepairStarted("r-1", At, "gpu-1", "workers", "eu-west-1a", "AcceleratedHardwareReady", "NvidiaXID79Error", RepairAction.Replace)));
        Assert.Equal(new RepairEventNote("Normal", "RepairDrain", "repair r-1: evicted 3 pods"), RepairEventNotes.For(new RepairStepDone("r-1", At, "Drain", "evicted 3 pods")));
        Assert.Equal(new RepairEventNote("Warning", "RepairFailed", "repair r-1: Drain failed: gone"), RepairEventNotes.For(new RepairEnded("r-1", At, "Failed", "Drain failed: gone", "")));
        Assert.Equal(new RepairEventNote("Normal", "RepairCancelled", "repair r-1 by alice: wrong node"), RepairEventNotes.For(new RepairEnded("r-1", At, "Cancelled", "wrong node", "alice")));
    }

    [Fact]
    public void An_operators_approval_is_shown_with_who_and_why() =>
        Assert.Equal(new RepairEventNote("Normal", "RepairApproved", "Replace for AcceleratedHardwareReady approved by alice: checked with the training team"),
            RepairEventNotes.For(new RepairApprovedByOperator("gpu-1", At, "AcceleratedHardwareReady", RepairAction.Replace, "alice", "checked with the training team")));

    [Theory]
    [InlineData("x")]
    [InlineData("Zürich → ")] // Multi-byte characters: the API server counts bytes of UTF-8, not characters.
    public void A_long_explanation_is_cut_to_the_api_servers_limit_in_bytes(string piece)
    {
        var note = RepairEventNotes.For(Decision("Start", explanation: string.Concat(Enumerable.Repeat(piece, 5000))))!.Note;

        Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(note), 1018, 1024);
        Assert.EndsWith("…", note);
    }
}
