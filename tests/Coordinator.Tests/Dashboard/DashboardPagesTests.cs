using NodeHealth.Coordinator.Api;
using NodeHealth.Coordinator.History;
using NodeHealth.Coordinator.Repair;
using NodeHealth.Coordinator.Dashboard;
using static NodeHealth.Coordinator.Tests.Dashboard.DashboardSamples;

namespace NodeHealth.Coordinator.Tests.Dashboard;

public sealed class DashboardPagesTests
{
    [Fact]
    public void Text_from_the_fleet_is_escaped_so_a_hostile_log_line_cannot_inject_markup()
    {
        var hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>";
        var html = FleetPage.Render([Node("n-1", "gpu", "z\"><b>", Condition("KernelReady", "False", "E2EFatalFault", message: hostile))], Repairs(), null, Now);

        Assert.DoesNotContain("<script>alert", html);
        Assert.DoesNotContain("<img src=x", html);
        Assert.DoesNotContain("z\"><b>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
    }

    [Fact]
    public void The_fleet_page_marks_the_tile_the_attention_entry_and_the_countdown()
    {
        var html = FleetPage.Render([Node("n-1", "gpu", "eu-west-1a", Condition("KernelReady", "False", "E2EFatalFault", Now.AddMinutes(-5), "machine check"))],
            Repairs(decisions: [Decision("n-1", "Wait", notBefore: Now.AddMinutes(25))]), null, Now);

        Assert.Contains("class=\"tile level-False\" href=\"/dashboard/nodes/n-1\" data-node=\"n-1\" data-level=\"False\"", html);
        Assert.Contains("<li class=\"level-False\" data-node=\"n-1\" data-level=\"False\">", html);
        Assert.Contains("<strong>KernelReady False</strong>: E2EFatalFault — machine check", html);
        Assert.Contains("data-countdown=\"2026-11-28T01:25:00Z\"", html);
        Assert.Contains(">in 25m 0s</time>", html);
        Assert.Contains("<li class=\"count alarm\" data-count=\"unhealthy\"><span class=\"value\">1</span>", html);
    }

    [Fact]
    public void The_node_page_offers_to_clear_each_active_fault_through_the_api()
    {
        var node = new NodeView("n-1", Now, null,
            [new ConditionView("KernelReady", "False", "E2EFatalFault", "machine check", Now.AddMinutes(-5),
                [new ActiveFaultView("E2EFatalFault", "machine check", Now.AddMinutes(-5), Now.AddMinutes(-1), 2, "Manual", "Replace")])],
            [], [], []);

        var html = NodePage.Render(node, null, Repairs(),
            [new TimelineEntry(Now.AddMinutes(-5), "transition", "KernelReady", "E2EFatalFault", "True", "False", "machine check", 7)], Now);

        Assert.Contains("data-method=\"DELETE\" data-url=\"/api/nodes/n-1/conditions/KernelReady/faults/E2EFatalFault\"", html);
        Assert.Contains("<button type=\"submit\">Clear E2EFatalFault</button>", html);
        Assert.Contains("data-url=\"/api/nodes/n-1/reboot\" data-fresh-id=\"id\"", html);
        Assert.Contains("<td>KernelReady</td><td>E2EFatalFault</td><td>True → False</td><td>machine check</td>", html);
    }

    [Fact]
    public void The_repairs_page_shows_a_running_repairs_step_a_pool_that_stopped_repair_and_a_tripped_zone_with_its_resume()
    {
        var budgets = new RepairBudgetsView("On", "(defaults)", null, 1, 10,
            [new PoolBudgetView("gpu", 10, 3, 1, "stop above 20 % unhealthy in pools of more than 5 nodes", 1, "3 of 10 unhealthy (30 %)", "default")],
            [new ZoneBreakerView("eu-west-1c", "Tripped", Now.AddMinutes(-20), "4 of 5 nodes unhealthy within 10m", null)]);
        var html = RepairsPage.Render(Repairs(mode: "On",
            decisions: [Decision("n-2", "Deny", "ZoneStorm", zone: "eu-west-1c", breaker: "tripped at 2026-11-28 00:40:00Z")],
            runs: [Run("n-1")]), budgets, Now);

        Assert.Contains("<td class=\"now\">draining: 3 pods left</td>", html);
        Assert.Contains("data-url=\"/api/repairs/r-n-1/cancel\"", html);
        Assert.Contains("<tr data-zone=\"eu-west-1c\" data-breaker=\"tripped\">", html);
        Assert.Contains("data-url=\"/api/repairs/zones/eu-west-1c/resume\"", html);
        Assert.Contains("Held back: the zone&#39;s storm breaker tripped", html);
        Assert.Contains("<p class=\"problem\">Repair stopped: 3 of 10 unhealthy (30 %)</p>", html);
        Assert.Contains("<meter id=\"gauge-unhealthy-0\" min=\"0\" max=\"10\" value=\"3\"", html);
        Assert.Contains("<strong>Tripped</strong> at 2026-11-28T00:40:00Z: 4 of 5 nodes unhealthy within 10m", html);
    }

    [Fact]
    public void A_repair_waiting_for_approval_offers_the_approve_and_an_approved_one_says_who_approved_it()
    {
        var waiting = Repairs(mode: "On", decisions: [Decision("n-1", "Deny", "AwaitingApproval", dryRun: false)]);
        var approved = Repairs(mode: "On", decisions: [Decision("n-1", "Deny", "Paused", dryRun: false)],
            approvals: [new RepairApprovalView("n-1", "KernelReady", "Reboot", "alice", Now.AddMinutes(-2), "<b>ok</b>")]);
        var node = new NodeView("n-1", Now, null, [new ConditionView("KernelReady", "False", "E2EFatalFault", "", Now.AddMinutes(-5), [])], [], [], []);

        var queue = RepairsPage.Render(waiting, null, Now);
        var page = NodePage.Render(node, null, waiting, [], Now);
        var done = NodePage.Render(node, null, approved, [], Now);

        Assert.Contains("Held back: waiting for an operator&#39;s approval", queue);
        foreach (var html in new[] { queue, page })
            Assert.Contains("data-method=\"POST\" data-url=\"/api/repairs/nodes/n-1/approve\" data-by=\"true\"", html);
        Assert.DoesNotContain("/approve", done);
        Assert.Contains("Reboot approved by alice", done);
        Assert.Contains("&lt;b&gt;ok&lt;/b&gt;", done);
    }

    [Fact]
    public void The_node_page_offers_to_pause_the_nodes_repair_and_a_paused_node_says_who_paused_it_with_a_resume()
    {
        var node = new NodeView("n-1", Now, null, [new ConditionView("KernelReady", "False", "E2EFatalFault", "", Now.AddMinutes(-5), [])], [], [], []);
        var free = Repairs(mode: "On", decisions: [Decision("n-1", "Wait", notBefore: Now.AddMinutes(5), dryRun: false)]);
        var paused = Repairs(mode: "On", decisions: [Decision("n-1", "Deny", "NodePaused", dryRun: false)],
            pausedNodes: [new RepairNodePauseView("n-1", "bob", Now.AddMinutes(-3), "<i>flaky NIC</i>")]);

        var offer = NodePage.Render(node, null, free, [], Now);
        var held = NodePage.Render(node, null, paused, [], Now);

        Assert.Contains("data-method=\"POST\" data-url=\"/api/repairs/nodes/n-1/pause\" data-by=\"true\"", offer);
        Assert.Contains("<input name=\"note\"", offer);
        Assert.DoesNotContain("data-node-paused", offer);
        Assert.DoesNotContain("/pause\"", held);
        Assert.Contains("data-method=\"POST\" data-url=\"/api/repairs/nodes/n-1/resume\" data-by=\"true\"", held);
        Assert.Contains("<p class=\"banner paused\" data-node-paused=\"true\">Repair of this node is paused by bob", held);
        Assert.Contains("&lt;i&gt;flaky NIC&lt;/i&gt;", held);
        Assert.Contains("a repair already running goes on (cancel stops it)", held);
        Assert.Contains("Held back: an operator paused repair of this node", held);
        Assert.DoesNotContain("/pause\"", NodePage.Render(node, null, null, [], Now)); // The governor did not answer: no offer.
    }

    [Fact]
    public void The_repairs_page_lists_the_nodes_paused_one_by_one_each_with_a_resume()
    {
        var paused = Repairs(mode: "On", pausedNodes: [new RepairNodePauseView("n-1", "bob", Now.AddMinutes(-3), "flaky NIC")]);

        var html = RepairsPage.Render(paused, null, Now);
        var none = RepairsPage.Render(Repairs(mode: "On"), null, Now);

        Assert.Contains("<tr data-node-paused=\"n-1\"><th scope=\"row\"><a href=\"/dashboard/nodes/n-1\">n-1</a></th><td>bob</td>", html);
        Assert.Contains("<td>flaky NIC</td>", html);
        Assert.Contains("data-url=\"/api/repairs/nodes/n-1/resume\"", html);
        Assert.Contains("No node is paused on its own.", none);
        Assert.DoesNotContain("/resume\" data-by=\"true\" data-what=\"Resume repair of", none);
    }

    [Fact]
    public void The_simulations_page_offers_a_scenario_only_where_the_simulator_is_served_and_otherwise_says_it_is_missing()
    {
        var served = SimulationsPage.Render(simulatorServed: true);
        var missing = SimulationsPage.Render(simulatorServed: false);

        Assert.Contains("<form id=\"simulation-form\" class=\"simulation\" data-url=\"/api/simulations\">", served);
        Assert.Contains("name: dashboard-example", served);
        Assert.DoesNotContain("data-simulations=\"not-available\"", served);
        Assert.Contains("data-simulations=\"not-available\"", missing);
        Assert.DoesNotContain("<form", missing);
    }

    [Theory]
    [InlineData(0, 0, 42, "42s")]
    [InlineData(0, 12, 5, "12m 5s")]
    [InlineData(3, 4, 0, "3h 4m")]
    [InlineData(50, 0, 0, "2d 2h")]
    public void Spans_read_in_their_two_largest_units(int hours, int minutes, int seconds, string text) =>
        Assert.Equal(text, Html.Span(new TimeSpan(hours, minutes, seconds)));
}
