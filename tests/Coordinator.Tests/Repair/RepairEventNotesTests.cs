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
        Assert.Null(RepairEventNotes.For(new RepairZoneTripped("eu-west-1a", At, "storm")));
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
