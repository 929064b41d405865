using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Actors.Simulation.Replay;

namespace NodeHealth.Actors.Tests.Simulation;

public sealed class ReplayTests
{
    /// <summary>
    /// An export as GET /api/history/export writes it: a node event, then the governor's records. At 12:10:30 gpu-1
    /// (XID 79 since 12:00) starts a Replace and gpu-2 (XID 48 since 12:05) waits; at 12:15:30 gpu-2 is denied by the
    /// pool's one-repair-at-a-time limit while gpu-1's replace runs.
    /// </summary>
    public const string Export = """
        {"node":"gpu-1","sequenceNr":1,"at":"2026-11-27T12:00:00Z","type":"FindingsRecorded","event":{"nodeName":"gpu-1"}}
        {"node":"gpu-1","source":"repair-governor","at":"2026-11-27T12:10:30Z","type":"RepairDecisionRecorded","event":{"node":"gpu-1","recordedAt":"2026-11-27T12:10:30Z","pool":"gpu","zone":"a","condition":"AcceleratedHardwareReady","reason":"NvidiaXID79Error","action":"Replace","verdict":"Start","denial":"None","dryRun":false,"findings":[{"condition":"AcceleratedHardwareReady","status":"False","reason":"NvidiaXID79Error","since":"2026-11-27T12:00:00Z","wait":"00:10:00","action":"Replace"}],"budget":{"pool":"gpu","poolNodes":10,"poolUnhealthy":2}}}
        {"node":"gpu-2","source":"repair-governor","at":"2026-11-27T12:10:30Z","type":"RepairDecisionRecorded","event":{"node":"gpu-2","recordedAt":"2026-11-27T12:10:30Z","pool":"gpu","zone":"a","condition":"AcceleratedHardwareReady","reason":"NvidiaXID48Error","action":"Reboot","verdict":"Wait","denial":"None","dryRun":false,"findings":[{"condition":"AcceleratedHardwareReady","status":"False","reason":"NvidiaXID48Error","since":"2026-11-27T12:05:00Z","wait":"00:10:00","action":"Reboot"}],"budget":{"pool":"gpu","poolNodes":10,"poolUnhealthy":2}}}
        {"node":"gpu-1","source":"repair-governor","at":"2026-11-27T12:10:30Z","type":"RepairStarted","event":{"repairId":"gpu-1-20261127T121030Z","recordedAt":"2026-11-27T12:10:30Z","node":"gpu-1","pool":"gpu","zone":"a","condition":"AcceleratedHardwareReady","reason":"NvidiaXID79Error","action":"Replace"}}
        {"node":"gpu-2","source":"repair-governor","at":"2026-11-27T12:15:30Z","type":"RepairDecisionRecorded","event":{"node":"gpu-2","recordedAt":"2026-11-27T12:15:30Z","pool":"gpu","zone":"a","condition":"AcceleratedHardwareReady","reason":"NvidiaXID48Error","action":"Reboot","verdict":"Deny","denial":"PoolParallel","dryRun":false,"findings":[{"condition":"AcceleratedHardwareReady","status":"False","reason":"NvidiaXID48Error","since":"2026-11-27T12:05:00Z","wait":"00:10:00","action":"Reboot"}],"budget":{"pool":"gpu","poolNodes":10,"poolUnhealthy":2}}}
        """;

    [Fact]
    public void The_policy_that_ran_replays_to_the_same_decisions()
    {
        var report = Replay("");

        Assert.Equal((2, 3, 0, 1, 1), (report.Rounds, report.Compared, report.Differences, report.RecordedStarts, report.CandidateStarts));
        Assert.Equal(1, report.NodeEvents);
    }

    [Fact]
    public void A_candidate_with_two_repairs_per_pool_differs_where_the_limit_held_gpu_2_back()
    {
        var report = Replay("budgets:\n  maxParallelCount: 2\n");

        var differing = Assert.Single(report.Decisions, d => d.Differs);
        Assert.Equal(("gpu-2", "Deny PoolParallel (Reboot)", "Start Reboot", 5L), (differing.Node, differing.Recorded, differing.Candidate, differing.Line));
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 12, 15, 30, TimeSpan.Zero), differing.At);
    }

    /// <summary>gpu-3's replace waited for approval at 12:10:30; alice approved at 12:20:00 and it started at 12:20:01.</summary>
    private const string Approved = """
        {"node":"gpu-3","source":"repair-governor","at":"2026-11-27T12:10:30Z","type":"RepairDecisionRecorded","event":{"node":"gpu-3","recordedAt":"2026-11-27T12:10:30Z","pool":"gpu","zone":"a","condition":"AcceleratedHardwareReady","reason":"NvidiaXID79Error","action":"Replace","verdict":"Deny","denial":"AwaitingApproval","dryRun":false,"findings":[{"condition":"AcceleratedHardwareReady","status":"False","reason":"NvidiaXID79Error","since":"2026-11-27T12:00:00Z","wait":"00:10:00","action":"Replace"}],"budget":{"pool":"gpu","poolNodes":10,"poolUnhealthy":1}}}
        {"node":"gpu-3","source":"repair-governor","at":"2026-11-27T12:20:00Z","type":"RepairApprovedByOperator","event":{"node":"gpu-3","recordedAt":"2026-11-27T12:20:00Z","condition":"AcceleratedHardwareReady","action":"Replace","by":"alice","note":""}}
        {"node":"gpu-3","source":"repair-governor","at":"2026-11-27T12:20:01Z","type":"RepairDecisionRecorded","event":{"node":"gpu-3","recordedAt":"2026-11-27T12:20:01Z","pool":"gpu","zone":"a","condition":"AcceleratedHardwareReady","reason":"NvidiaXID79Error","action":"Replace","verdict":"Start","denial":"None","dryRun":false,"findings":[{"condition":"AcceleratedHardwareReady","status":"False","reason":"NvidiaXID79Error","since":"2026-11-27T12:00:00Z","wait":"00:10:00","action":"Replace"}],"budget":{"pool":"gpu","poolNodes":10,"poolUnhealthy":1}}}
        """;

    [Theory]
    [InlineData("approval:\n  actions: [Replace]\n", 0)] // The operator's approval is in the history: the candidate starts when the deployment did.
    [InlineData("", 1)] // Without the clause the replace would have started at 12:10:30.
    public void An_operators_approval_in_the_history_counts_for_a_candidate_that_asks_for_one(string candidate, int differences)
    {
        var report = Replay(candidate, Approved);

        Assert.Equal((2, differences), (report.Compared, report.Differences));
        Assert.Equal(differences == 0 ? [] : ["Deny AwaitingApproval (Replace) → Start Replace"],
            report.Decisions.Where(d => d.Differs).Select(d => $"{d.Recorded} → {d.Candidate}"));
    }

    /// <summary>bob paused gpu-4 at 12:05; its due replace was denied at 12:10:30; bob resumed it at 12:20:00 and it started at 12:20:01.</summary>
    private const string NodePaused = """
        {"node":"gpu-4","source":"repair-governor","at":"2026-11-27T12:05:00Z","type":"RepairNodePausedByOperator","event":{"node":"gpu-4","recordedAt":"2026-11-27T12:05:00Z","by":"bob","note":"flaky NIC"}}
        {"node":"gpu-4","source":"repair-governor","at":"2026-11-27T12:10:30Z","type":"RepairDecisionRecorded","event":{"node":"gpu-4","recordedAt":"2026-11-27T12:10:30Z","pool":"gpu","zone":"a","condition":"AcceleratedHardwareReady","reason":"NvidiaXID79Error","action":"Replace","verdict":"Deny","denial":"NodePaused","dryRun":false,"findings":[{"condition":"AcceleratedHardwareReady","status":"False","reason":"NvidiaXID79Error","since":"2026-11-27T12:00:00Z","wait":"00:10:00","action":"Replace"}],"budget":{"pool":"gpu","poolNodes":10,"poolUnhealthy":1}}}
        {"node":"gpu-4","source":"repair-governor","at":"2026-11-27T12:20:00Z","type":"RepairNodeResumedByOperator","event":{"node":"gpu-4","recordedAt":"2026-11-27T12:20:00Z","by":"bob"}}
        {"node":"gpu-4","source":"repair-governor","at":"2026-11-27T12:20:01Z","type":"RepairDecisionRecorded","event":{"node":"gpu-4","recordedAt":"2026-11-27T12:20:01Z","pool":"gpu","zone":"a","condition":"AcceleratedHardwareReady","reason":"NvidiaXID79Error","action":"Replace","verdict":"Start","denial":"None","dryRun":false,"findings":[{"condition":"AcceleratedHardwareReady","status":"False","reason":"NvidiaXID79Error","since":"2026-11-27T12:00:00Z","wait":"00:10:00","action":"Replace"}],"budget":{"pool":"gpu","poolNodes":10,"poolUnhealthy":1}}}
        """;

    [Fact]
    public void An_operators_pause_of_a_node_in_the_history_holds_the_candidate_back_until_the_resume()
    {
        var report = Replay("", NodePaused);

        Assert.Equal((2, 0), (report.Compared, report.Differences));
        Assert.Equal(["Deny NodePaused (Replace)", "Start Replace"], report.Decisions.Select(d => d.Candidate));
    }

    [Theory]
    [InlineData("{\"type\":\"RepairStarted\",\"source\":\"repair-governor\"}\n", "history.ndjson line 1: a RepairStarted record needs its \"event\" object")]
    [InlineData("\n\nnot json\n", "history.ndjson line 3: not a JSON object")]
    [InlineData("[1,2]\n", "history.ndjson line 1: each line is an object with \"type\" and \"event\"")]
    public void A_broken_export_names_the_line(string ndjson, string expected)
    {
        var e = Assert.Throws<HistoryExportException>(() => HistoryExport.Read("history.ndjson", new StringReader(ndjson)));

        Assert.StartsWith(expected, e.Message);
    }

    private static ReplayReport Replay(string candidate, string export = Export)
    {
        var (records, nodeEvents) = HistoryExport.Read("history.ndjson", new StringReader(export));
        var policy = RepairPolicyLoader.Parse("candidate.yaml", candidate, Scenarios.Catalog, RepairMode.On);
        return PolicyReplay.Run(policy, "candidate.yaml", Scenarios.Catalog, "history.ndjson", records, nodeEvents);
    }
}
