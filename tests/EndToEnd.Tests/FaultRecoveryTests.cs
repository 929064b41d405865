using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using NodeHealth.EndToEnd.Tests.Support;

namespace NodeHealth.EndToEnd.Tests;

/// <summary>A fatal condition has a way back: an operator clears it, or the node reboots.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class FaultRecoveryTests : IAsyncLifetime
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private readonly string _scratch = Paths.TempDirectory("nh-recovery");
    private CoordinatorUnderTest _coordinator = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_coordinator is not null)
            await _coordinator.DisposeAsync();
        Directory.Delete(_scratch, recursive: true);
    }

    /// <summary>The coordinator and the agent judge the test's fatal reason by the same catalog file.</summary>
    private async Task<string> StartCoordinatorAsync(string recovery, string? quietFor = null)
    {
        var catalog = TestCatalog.WriteFatal(Path.Combine(_scratch, $"catalog-{Guid.NewGuid():N}.yaml"), _run, recovery, quietFor);
        _coordinator = new CoordinatorUnderTest(Database.Sqlite(), [catalog]);
        await _coordinator.StartAsync();
        return catalog;
    }

    [Fact]
    public async Task Operator_clears_a_manual_fault_with_the_operator_token_and_nobody_else_can()
    {
        var catalog = await StartCoordinatorAsync("manual");
        await using var agent = new AgentUnderTest(_coordinator, $"e2e-clear-{_run}", [catalog]);
        await agent.StartAsync();
        KernelLog.Write(TestCatalog.FatalLine(_run, "bad DIMM"));
        await agent.KernelReadyBecomesAsync("False", "E2EFatalFault");
        var fault = $"/api/nodes/{agent.NodeName}/conditions/KernelReady/faults/E2EFatalFault";

        using var anonymous = await Delete(fault, token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Delete(fault, CoordinatorUnderTest.Token)).StatusCode); // The agents' token is not enough.
        Assert.Equal(HttpStatusCode.BadRequest, (await Delete(fault.Replace("KernelReady", "Kernel"), CoordinatorUnderTest.OperatorToken)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Delete(fault + "?note=" + new string('n', 300), CoordinatorUnderTest.OperatorToken)).StatusCode);
        Assert.Equal("False", (await _coordinator.NodeAsync(agent.NodeName)).Condition("KernelReady").Text("status"));

        using var cleared = await Delete(fault + "?note=DIMM%20replaced", CoordinatorUnderTest.OperatorToken);
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        var view = JsonNode.Parse(await cleared.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(("True", "KernelIsReady"), (view.Condition("KernelReady").Text("status"), view.Condition("KernelReady").Text("reason")));
        var normal = view.Events().First();
        Assert.Equal(("Normal", "E2EFatalFault cleared: cleared by an operator: DIMM replaced"), (normal.Text("type"), normal.Text("message")));

        Assert.Equal(HttpStatusCode.NotFound, (await Delete(fault, CoordinatorUnderTest.OperatorToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Delete(fault.Replace(agent.NodeName, "never-seen-node"), CoordinatorUnderTest.OperatorToken)).StatusCode);
    }

    [Fact]
    public async Task Reboot_fault_clears_when_the_agent_comes_back_on_a_new_boot_id()
    {
        // A fake host root whose boot id the test controls, and a replayed kernel log (the real /dev/kmsg
        // buffer does not empty without a real reboot).
        var bootId = Path.Combine(_scratch, "host/proc/sys/kernel/random/boot_id");
        Directory.CreateDirectory(Path.GetDirectoryName(bootId)!);
        File.WriteAllText(bootId, "11111111-1111-1111-1111-111111111111\n");
        var kernelLog = Path.Combine(_scratch, "kern.log");
        File.WriteAllText(kernelLog, "");
        var catalog = await StartCoordinatorAsync("reboot");
        await using var agent = new AgentUnderTest(_coordinator, $"e2e-reboot-{_run}", [catalog]);
        agent.Environment["HOST_ROOT"] = Path.Combine(_scratch, "host");
        agent.ExtraArguments.Add($"--Agent:KernelLogFile={kernelLog}");
        await agent.StartAsync();

        File.AppendAllText(kernelLog, TestCatalog.FatalLine(_run, "GPU has fallen off the bus") + "\n");
        await agent.KernelReadyBecomesAsync("False", "E2EFatalFault");
        await agent.StopAsync();

        File.WriteAllText(bootId, "22222222-2222-2222-2222-222222222222\n");
        await agent.StartAsync();

        var view = await agent.KernelReadyBecomesAsync("True", "KernelIsReady");
        Assert.Contains(view.Events(), e => e.Text("type") == "Normal" && e.Text("message") ==
            "E2EFatalFault cleared: the node rebooted (boot id 11111111-1111-1111-1111-111111111111 → 22222222-2222-2222-2222-222222222222)");
    }

    [Fact]
    public async Task Quiet_fault_is_still_active_after_a_coordinator_restart_and_clears_after_its_quiet_period()
    {
        var quietFor = TimeSpan.FromSeconds(20);
        var catalog = await StartCoordinatorAsync("quiet", quietFor: $"{quietFor.TotalSeconds:0}s");
        await using var agent = new AgentUnderTest(_coordinator, $"e2e-quiet-{_run}", [catalog]);
        await agent.StartAsync();
        KernelLog.Write(TestCatalog.FatalLine(_run, "link flapped"));
        var faulted = await agent.KernelReadyBecomesAsync("False", "E2EFatalFault");
        var since = DateTime.Parse(faulted.Condition("KernelReady").Text("lastTransitionTime")!).ToUniversalTime();

        await _coordinator.StopAsync(); // The entity that held the timer is gone; the recovered one must schedule it again.
        await _coordinator.StartAsync();

        var recovered = await _coordinator.NodeAsync(agent.NodeName);
        Assert.True(DateTime.UtcNow < since + quietFor, "the restart took longer than the quiet period: this run proves nothing, make quietFor longer");
        Assert.Equal("False", recovered.Condition("KernelReady").Text("status")); // Not cleared early, not lost by the restart.
        var view = await agent.KernelReadyBecomesAsync("True", "KernelIsReady");
        var normal = Assert.Single(view.Events(), e => e.Text("type") == "Normal");
        Assert.StartsWith("E2EFatalFault cleared: no recurrence for 00:00:20 since ", normal.Text("message"));
        Assert.True(DateTime.Parse(normal.Text("lastTimestamp")!).ToUniversalTime() >= since + quietFor, "cleared before its quiet period ended");
    }

    private async Task<HttpResponseMessage> Delete(string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, path);
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _coordinator.Http.SendAsync(request);
    }
}
