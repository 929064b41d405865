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
    private readonly CoordinatorUnderTest _coordinator = new(Database.Sqlite());

    public Task InitializeAsync() => _coordinator.StartAsync();

    public async Task DisposeAsync()
    {
        await _coordinator.DisposeAsync();
        Directory.Delete(_scratch, recursive: true);
    }

    [Fact]
    public async Task Operator_clears_a_manual_fault_with_the_operator_token_and_nobody_else_can()
    {
        await using var agent = new AgentUnderTest(_coordinator, $"e2e-clear-{_run}", [Catalog("manual")]);
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
        await using var agent = new AgentUnderTest(_coordinator, $"e2e-reboot-{_run}", [Catalog("reboot")]);
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
    public async Task Quiet_fault_clears_after_its_quiet_period_even_across_a_coordinator_restart()
    {
        await using var agent = new AgentUnderTest(_coordinator, $"e2e-quiet-{_run}", [Catalog("quiet", quietFor: "5s")]);
        await agent.StartAsync();
        KernelLog.Write(TestCatalog.FatalLine(_run, "link flapped"));
        await agent.KernelReadyBecomesAsync("False", "E2EFatalFault");

        await _coordinator.StopAsync(); // The entity that held the timer is gone; the recovered one must schedule it again.
        await _coordinator.StartAsync();

        var view = await agent.KernelReadyBecomesAsync("True", "KernelIsReady");
        var normal = Assert.Single(view.Events(), e => e.Text("type") == "Normal");
        Assert.StartsWith("E2EFatalFault cleared: no recurrence for 00:00:05 since ", normal.Text("message"));
    }

    private string Catalog(string recovery, string? quietFor = null) =>
        TestCatalog.WriteFatal(Path.Combine(_scratch, $"catalog-{Guid.NewGuid():N}.yaml"), _run, recovery, quietFor);

    private async Task<HttpResponseMessage> Delete(string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, path);
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _coordinator.Http.SendAsync(request);
    }
}
