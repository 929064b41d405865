using NodeHealth.Coordinator.Api;
using NodeHealth.Coordinator.Repair;

namespace NodeHealth.Coordinator.Tests.Dashboard;

/// <summary>The API's views as the coordinator answers them, written out for the dashboard's pure tests.</summary>
public static class DashboardSamples
{
    public static readonly DateTime Now = new(2026, 11, 28, 1, 0, 0, DateTimeKind.Utc);

    public static ConditionView Condition(string type, string status, string reason = "", DateTime? since = null, string message = "") =>
        new(type, status, reason, message, since ?? Now.AddHours(-1), []);

    public static NodeSummaryView Node(string name, string? pool, string? zone, params ConditionView[] conditions) =>
        new(name, Now, conditions, pool, zone);

    public static NodeSummaryView Healthy(string name, string? pool = "gpu", string? zone = "eu-west-1a") =>
        Node(name, pool, zone, Condition("KernelReady", "True", "KernelIsReady"));

    public static RepairDecisionView Decision(string node, string state, string? denial = null, DateTime? notBefore = null, bool dryRun = true,
        string pool = "gpu", string zone = "eu-west-1a", string breaker = "closed") =>
        new(node, pool, zone, "KernelReady", "E2EFatalFault", "Reboot", state, denial, dryRun, Now.AddMinutes(-5), notBefore,
            new RepairExplanationView($"KernelReady=False (E2EFatalFault) on {node}", "default", "", [],
                new RepairBudgetView(pool, 10, 1, "20%", 0, 1, 0, 5, zone, breaker, "none configured (any time)")));

    public static RepairRunView Run(string node, string state = "InFlight", string? now = "draining: 3 pods left") =>
        new($"r-{node}", node, "gpu", "eu-west-1a", "KernelReady", "E2EFatalFault", "Reboot", state, now, Now.AddMinutes(-3),
            state == "InFlight" ? null : Now, null, state == "InFlight" ? null : "done", []);

    public static RepairListView Repairs(string mode = "DryRun", RepairPauseView? paused = null, RepairDecisionView[]? decisions = null, RepairRunView[]? runs = null,
        RepairApprovalView[]? approvals = null, RepairNodePauseView[]? pausedNodes = null) =>
        new(mode, "(defaults)", null, paused, decisions ?? [], runs ?? [], approvals ?? [], pausedNodes ?? []);
}
