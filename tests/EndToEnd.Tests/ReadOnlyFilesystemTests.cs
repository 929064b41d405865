using System.Text.Json.Nodes;
using NodeHealth.EndToEnd.Tests.Support;

namespace NodeHealth.EndToEnd.Tests;

/// <summary>
/// The storage monitor on real mounts: loop-device ext4 filesystems remounted read-only (mount -o remount,ro, an
/// administrator's remount rather than a forced error) and read-write again, seen through the host's mount table.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ReadOnlyFilesystemTests : IAsyncLifetime
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private readonly string _scratch = Paths.TempDirectory("nh-readonly");
    private CoordinatorUnderTest _coordinator = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_coordinator is not null)
            await _coordinator.DisposeAsync();
        Directory.Delete(_scratch, recursive: true);
    }

    [Fact]
    public async Task A_kubelet_disk_remounted_read_only_holds_storage_ready_false_until_writable_again_and_a_data_disk_is_only_an_event()
    {
        using var kubelet = new LoopDevice();
        using var data = new LoopDevice();
        // Both agent and coordinator read the reason from this file (the built-in storage catalog may not have it yet).
        var catalog = Path.Combine(_scratch, "storage.yaml");
        File.WriteAllText(catalog, """
            conditions:
              - type: StorageReady
                reasons:
                  - reason: FilesystemReadOnly
                    severity: Fatal
                    source: probe-mounts
                    recovery: probe
                    description: A filesystem went read-only under the node.
            """);
        _coordinator = new CoordinatorUnderTest(Database.Sqlite(), [catalog]);
        await _coordinator.StartAsync();
        await using var agent = new AgentUnderTest(_coordinator, $"e2e-readonly-{_run}", [catalog]);
        agent.ExtraArguments.Add("--Agent:MountsInterval=00:00:01");
        agent.ExtraArguments.Add($"--Agent:CriticalDirectories:0={kubelet.MountPoint}/kubelet");
        await agent.StartAsync();
        await StorageReadyBecomesAsync(agent, "True", "DiskIsReady");

        data.RemountReadOnly();
        var warned = await Eventually.ValueAsync(() => _coordinator.NodeAsync(agent.NodeName),
            v => v.Events().Any(e => e.Text("type") == "Warning" && e.Text("reason") == "FilesystemReadOnly" && e.Text("message")!.Contains(data.MountPoint)),
            TimeSpan.FromSeconds(30), v => $"no FilesystemReadOnly warning for {data.MountPoint}: {v}\nagent:\n{agent.Output}");
        Assert.Equal("True", warned.Condition("StorageReady").Text("status"));

        kubelet.RemountReadOnly();
        var faulted = await StorageReadyBecomesAsync(agent, "False", "FilesystemReadOnly");
        Assert.Contains($"{kubelet.MountPoint} ({kubelet.Name}, ext4) was read-write and is now mounted read-only", faulted.Condition("StorageReady").Text("message"));

        kubelet.RemountWritable();
        var recovered = await StorageReadyBecomesAsync(agent, "True", "DiskIsReady");
        var cleared = Assert.Single(recovered.Events(), e => e.Text("type") == "Normal" && e.Text("reason") == "FilesystemReadOnly");
        Assert.StartsWith($"FilesystemReadOnly cleared: probe mounts: {kubelet.Name}", cleared.Text("message"));
    }

    private async Task<JsonObject> StorageReadyBecomesAsync(AgentUnderTest agent, string status, string reason) =>
        (await Eventually.ValueAsync(() => _coordinator.NodeAsync(agent.NodeName),
            v => v.Condition("StorageReady").Text("status") == status && v.Condition("StorageReady").Text("reason") == reason,
            TimeSpan.FromSeconds(30), v => $"StorageReady is not {status}/{reason}: {v}\nagent:\n{agent.Output}\ncoordinator:\n{_coordinator.Output}"))!;
}
