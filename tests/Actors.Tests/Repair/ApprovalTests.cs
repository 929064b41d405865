using NodeHealth.Actors.Repair;
using NodeHealth.Actors.Repair.Budgets;
using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Contracts.Catalog;
using static NodeHealth.Actors.Tests.Repair.Nodes;

namespace NodeHealth.Actors.Tests.Repair;

/// <summary>The approval clause: which repairs wait for an operator, which approval lets one start, and its file form.</summary>
public sealed class ApprovalTests
{
    private static readonly RepairPolicy Reboots = RepairPolicyLoader.Parse("approve.yaml", "approval:\n  actions: [Reboot]\n  expiresAfter: 2h\n", Catalog, RepairMode.On);

    // gpu-1's XID 48 (reboot) began at minute 0 and is due at minute 10; the round is at minute 60.
    private static RepairDecision Decide(RepairPolicy policy, RepairApproval? approval = null, string pool = "workers", RepairLedger? ledger = null)
    {
        ledger ??= RepairLedger.Empty;
        if (approval is not null)
            ledger = ledger.Apply(ledger.Decide(new ApproveRepair(approval))!);
        var node = Node("gpu-1", pool, "eu-west-1a", False("AcceleratedHardwareReady", "NvidiaXID48Error", At(0)), True("Ready"));
        return RepairDecider.Decide(policy, Catalog, FleetOf(Healthy(20, pool), [node]), ledger, At(60)).Decisions.Single(d => d.Node == "gpu-1");
    }

    private static RepairApproval Yes(int minute, RepairAction action = RepairAction.Reboot) => new("gpu-1", "AcceleratedHardwareReady", action, "alice", "ok", At(minute));

    public static TheoryData<string, RepairApproval?, RepairVerdict, Denial, string> Approvals => new()
    {
        { "none yet", null, RepairVerdict.Deny, Denial.AwaitingApproval, "Reboot of gpu-1 waits for an operator's approval: POST /api/repairs/nodes/gpu-1/approve" },
        { "approved during the wait", Yes(5), RepairVerdict.Start, Denial.None, "approved by alice at 2026-11-27 12:05:00Z: ok" },
        { "approved when due", Yes(59), RepairVerdict.Start, Denial.None, "approved by alice" },
        { "approved for another action", Yes(30, RepairAction.Replace), RepairVerdict.Deny, Denial.AwaitingApproval, "(the approval by alice is for Replace)" },
        { "approved before this fault began", Yes(-1), RepairVerdict.Deny, Denial.AwaitingApproval, "came before this fault" },
        { "approved the minute the fault began", Yes(0), RepairVerdict.Start, Denial.None, "approved by alice" },
    };

    [Theory]
    [MemberData(nameof(Approvals))]
    public void A_held_action_starts_only_on_an_approval_of_that_action_given_since_the_fault_began_and_not_expired(
        string clause, RepairApproval? approval, RepairVerdict verdict, Denial denial, string why)
    {
        var decision = Decide(Reboots, approval);

        Assert.True((decision.Verdict, decision.Denial) == (verdict, denial), $"{clause}: {decision.Verdict} {decision.Denial}: {decision.Explanation.Text}");
        Assert.Contains(why, decision.Explanation.Rule);
        Assert.Contains("approval: Reboot in every pool wait for an operator, approvals expire after 2h (approve.yaml line 2)", decision.Explanation.Clause);
    }

    [Fact]
    public void An_approval_older_than_its_expiry_no_longer_counts()
    {
        var policy = Reboots with { Approval = Reboots.Approval with { ExpiresAfter = TimeSpan.FromMinutes(30) } };

        var decision = Decide(policy, Yes(20));

        Assert.Equal((RepairVerdict.Deny, Denial.AwaitingApproval), (decision.Verdict, decision.Denial));
        Assert.Contains("expired", decision.Explanation.Rule);
    }

    [Theory]
    [InlineData("approval:\n  actions: [Replace]\n", "workers", RepairVerdict.Start)] // Only replaces wait; this is a reboot.
    [InlineData("approval:\n  actions: [Reboot]\n  pools: [gpu-h100]\n", "workers", RepairVerdict.Start)] // Another pool.
    [InlineData("approval:\n  actions: [Reboot]\n  pools: [gpu-h100]\n", "gpu-h100", RepairVerdict.Deny)]
    [InlineData("{}", "workers", RepairVerdict.Start)] // No clause: EKS's behaviour.
    public void Only_the_actions_and_pools_the_clause_names_wait(string yaml, string pool, RepairVerdict verdict)
    {
        var policy = RepairPolicyLoader.Parse("approve.yaml", yaml, Catalog, RepairMode.On);

        Assert.Equal(verdict, Decide(policy, pool: pool).Verdict);
    }

    [Fact]
    public void Every_other_clause_holds_a_repair_before_its_approval_is_asked_for()
    {
        var paused = RepairLedger.Empty with { Pause = new OperatorPause("bob", At(1), "freeze") };

        Assert.Equal(Denial.Paused, Decide(Reboots, ledger: paused).Denial);
        Assert.Equal(Denial.Paused, Decide(Reboots, Yes(5), ledger: paused).Denial);
    }

    [Fact]
    public void A_grant_uses_the_approval_up_and_a_node_in_repair_cannot_be_approved()
    {
        var ledger = RepairLedger.Empty.Apply(RepairLedger.Empty.Decide(new ApproveRepair(Yes(5)))!);
        var decision = Decide(Reboots, ledger: ledger);
        var (reply, granted) = ledger.Decide(new GrantRepair("gpu-1-r1", decision));
        Assert.True(reply.Granted, reply.Why);

        var after = ledger.Apply(granted!);

        Assert.Empty(after.Approvals);
        Assert.Null(after.Decide(new ApproveRepair(Yes(61))));
    }

    [Theory]
    [InlineData("approval: {}\n", "approve.yaml line 1: approval needs actions")]
    [InlineData("approval:\n  actions: [None]\n", "approve.yaml line 2: approval actions: 'None' must be Reboot or Replace")]
    [InlineData("approval:\n  actions: [Replace]\n  expiresAfter: 0s\n", "expiresAfter must be longer than 0")]
    [InlineData("approval:\n  actions: [Replace]\n  expiresAfter: 90d\n", "expiresAfter 90d is longer than 30d")]
    [InlineData("approval:\n  actions: [Replace]\n  pools: ['gpu h100']\n", "approval pools: 'gpu h100' is not a pool name")]
    [InlineData("approval:\n  actions: [Replace]\n  poools: [a]\n", "poools")]
    public void A_broken_approval_clause_is_refused_with_where_and_why(string yaml, string problem)
    {
        var e = Assert.Throws<RepairPolicyException>(() => RepairPolicyLoader.Parse("approve.yaml", yaml, Catalog));

        Assert.Contains(problem, e.Message);
    }
}
