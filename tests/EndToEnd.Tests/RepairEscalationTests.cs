using System.Net.Http.Json;
using System.Text.Json.Nodes;
using NodeHealth.EndToEnd.Tests.Support;
using NodeHealth.Kubernetes.Tests.Support.ApiServer;

namespace NodeHealth.EndToEnd.Tests;

/// <summary>
/// The escalation ladder through the whole path: a real agent (its host under HOST_ROOT, with the real /dev/kmsg and a
/// boot id the test controls) reports an uncorrectable memory error; the coordinator in Repair:Mode On reboots the node
/// through the agent (a recorded reboot command that sets a new boot id and kills the agent, as a reboot does). The new
/// boot's kernel log still holds the error (this reboot cannot empty the ring buffer, as a memory error that outlives a
/// real reboot logs again), so the node does not come back healthy, the reboot fails its verification and the next
/// repair replaces the node (its Node object deleted in the Kubernetes test server).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class RepairEscalationTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);
    private readonly string _tag = KernelLog.NewTag();
    private KubernetesStand _stand = null!;

    public async Task InitializeAsync() => _stand = await KubernetesStand.StartAsync("nh-escalation");

    public async Task DisposeAsync() => await _stand.DisposeAsync();

    [Fact]
    public async Task A_reboot_that_does_not_bring_the_node_back_healthy_escalates_to_a_replace()
    {
        var node = $"e2e-escalate-{_tag}";
        _stand.Server.Nodes.Put(NodeObjects.Kubelet(node, labels: new Dictionary<string, string> { ["eks.amazonaws.com/nodegroup"] = "workers" }));
        var bootId = HostRoot();
        var reboots = Path.Combine(_stand.Scratch, "reboots.log");
        var script = _stand.File("reboot.sh", $"#!/bin/sh\necho \"reboot $*\" >> '{reboots}'\necho boot-2 > '{bootId}'\nkill -9 $PPID\n");
        var policy = _stand.File("repair.yaml", "overrides:\n  - condition: KernelReady\n    reason: MemoryUncorrectableError\n    wait: 0s\n    action: Reboot\nescalation:\n  backoff: 0s\n");
        await using var coordinator = new CoordinatorUnderTest(Database.Sqlite());
        coordinator.ExtraArguments.AddRange([.. _stand.CoordinatorArguments,
            "--Repair:Mode=On", "--Repair:DecideEvery=1s", $"--Repair:PolicyFile={policy}", "--Repair:DrainTimeout=2s", "--Repair:VerifyTimeout=5s"]);
        await coordinator.StartAsync();
        await using var agent = new AgentUnderTest(coordinator, node);
        agent.Environment["HOST_ROOT"] = Path.Combine(_stand.Scratch, "host");
        agent.ExtraArguments.AddRange(["--Agent:Reboot:Enabled=true", $"--Agent:Reboot:Command=/bin/sh {script} now"]);
        await agent.StartAsync();

        KernelLog.Write($"<2>EDAC MC0: 1 UE memory read error on {_tag} (page:0x0 offset:0x0 grain:32 syndrome:0x0)");

        await Eventually.TrueAsync(() => Task.FromResult(File.Exists(reboots)), Patience,
            () => $"the node was never rebooted:\n{string.Join('\n', _stand.Server.Requests.TakeLast(20))}\ncoordinator:\n{coordinator.Output}\nagent:\n{agent.Output}");
        await agent.CrashAsync(); // Killed by the script: this only collects it.
        await agent.StartAsync(); // The new boot, whose log holds the error again.
        var rebooted = await RepairAsync(coordinator, node, r => (string?)r["action"] == "Reboot" && (string?)r["state"] is "Succeeded" or "Failed");
        Assert.True((string?)rebooted["state"] == "Failed", $"the reboot did not fail: {rebooted}");
        Assert.Contains("did not come back healthy", (string?)rebooted["outcome"]);
        Assert.Equal(["Cordon", "Drain", "Reboot"], rebooted["steps"]!.AsArray().Select(s => (string?)s!["step"]));

        var replaced = await RepairAsync(coordinator, node, r => (string?)r["action"] == "Replace" && (string?)r["state"] is "Succeeded" or "Failed");
        Assert.Equal("Succeeded", (string?)replaced["state"]);
        Assert.Equal(["reboot now"], File.ReadAllLines(reboots)); // One reboot: the second repair did not try it again.
        Assert.Single(_stand.Server.RequestsTo("DELETE", $"/api/v1/nodes/{node}"));
        await Eventually.TrueAsync(() => Task.FromResult(Decided(node).Any(note => note.StartsWith("Replace:", StringComparison.Ordinal)
                && note.Contains("did not bring the node back healthy: escalate to Replace", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(10), () => $"no Event explains the replace; the Node's repair Events:\n{string.Join("\n", RepairEvents(node))}");
    }

    /// <summary>The notes of the RepairDecided Events on the Node (written off the governor's thread: they may lag).</summary>
    private IEnumerable<string> Decided(string node) =>
        RepairEvents(node).Where(e => e.StartsWith("RepairDecided: ", StringComparison.Ordinal)).Select(e => e["RepairDecided: ".Length..]);

    /// <summary>The Node's repair Events as "reason: note".</summary>
    private List<string> RepairEvents(string node) =>
        [.. _stand.Server.Events.All().Where(e => e["regarding"]?["name"]?.ToString() == node && e["action"]?.ToString() == "Repair").Select(e => $"{e["reason"]}: {e["note"]}")];

    /// <summary>A host root for the agent: the real /dev/kmsg and a boot id file (boot-1) the reboot script changes; returns that file.</summary>
    private string HostRoot()
    {
        var root = Path.Combine(_stand.Scratch, "host");
        Directory.CreateDirectory(Path.Combine(root, "dev"));
        File.CreateSymbolicLink(Path.Combine(root, "dev", "kmsg"), "/dev/kmsg");
        var random = Directory.CreateDirectory(Path.Combine(root, "proc", "sys", "kernel", "random")).FullName;
        var bootId = Path.Combine(random, "boot_id");
        File.WriteAllText(bootId, "boot-1\n");
        return bootId;
    }

    /// <summary>The node's repair that <paramref name="wanted"/> picks, once GET /api/repairs lists one.</summary>
    private async Task<JsonNode> RepairAsync(CoordinatorUnderTest coordinator, string node, Func<JsonNode, bool> wanted)
    {
        var list = await Eventually.ValueAsync(() => coordinator.Http.GetFromJsonAsync<JsonObject>($"/api/repairs?node={node}"),
            l => l!["repairs"]!.AsArray().Any(r => wanted(r!)), Patience,
            l => $"no such repair of {node}: {l}\n{string.Join('\n', _stand.Server.Requests.TakeLast(20))}\ncoordinator:\n{coordinator.Output}");
        return list!["repairs"]!.AsArray().First(r => wanted(r!))!;
    }
}
