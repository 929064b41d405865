using NodeHealth.Contracts;
using NodeHealth.Contracts.Wire;
using NodeHealth.EndToEnd.Tests.Support;
using NodeHealth.Kubernetes.Tests.Support;
using NodeHealth.Kubernetes.Tests.Support.ApiServer;

namespace NodeHealth.EndToEnd.Tests;

/// <summary>
/// Two coordinators share the Node writes: each node's conditions are written by the member hosting its
/// entity, and only by it. When that member leaves, its nodes' writes continue from the other member once
/// the shards moved, without moving a transition time. Each member writes under its own field manager
/// here, so every PATCH says who sent it.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ClusterKubernetesWritesTests(PostgresServer postgres) : IAsyncLifetime
{
    private const int Nodes = 8;
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private TestApiServer _server = null!;

    public async Task InitializeAsync() => _server = await TestApiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Each_node_has_one_writer_and_its_writes_continue_from_the_other_member_after_a_leave_without_moving_a_transition_time()
    {
        var nodes = Enumerable.Range(0, Nodes).Select(i => $"e2e-kwrite-{_run}-{i}").ToList();
        foreach (var node in nodes)
            _server.Nodes.Put(NodeObjects.Kubelet(node));
        var kubeconfig = Kubeconfig.Write(_server.Uri);
        var member = 0;
        await using var cluster = await CoordinatorCluster.StartAsync(await postgres.CreateDatabaseAsync(), 2, c => c.ExtraArguments.AddRange(
            [$"--Kubernetes:Kubeconfig={kubeconfig}", "--Kubernetes:Coalesce=00:00:00.050", $"--Kubernetes:FieldManager=member-{member++}"]));

        using (var client = new IngestClient(cluster[0].GrpcAddress))
            foreach (var node in nodes)
                await client.ExchangeAsync(CoordinatorUnderTest.Token, Hello(node), IngestClient.Batch(Fatal(node, 1)));
        var first = new Dictionary<string, string>();
        foreach (var node in nodes)
            first[node] = (await KernelReadyOnServer(node, "finding 1", cluster))["lastTransitionTime"]!.ToString();
        var writers = nodes.ToDictionary(node => node, node => WritersOf(node).ToList());
        foreach (var node in nodes)
            Assert.True(writers[node].Count == 1, $"node {node} was written by {string.Join(", ", writers[node])}: one writer per node");
        // Shards go where the coordinator puts them (all on one member when the other registered late): the member
        // writing the most nodes leaves, so some nodes must move.
        var leaver = nodes.GroupBy(node => writers[node].Single()).MaxBy(g => g.Count())!.Key == "member-0" ? 0 : 1;
        var (leaving, staying) = ($"member-{leaver}", $"member-{1 - leaver}");
        var moving = nodes.Where(node => writers[node].Single() == leaving).ToList();

        await cluster[leaver].StopAsync(); // Graceful: its shards are handed off to the other member.
        var requestsBefore = _server.Requests.Count;
        using (var client = new IngestClient(cluster[1 - leaver].GrpcAddress))
            foreach (var node in nodes)
                await client.ExchangeAsync(CoordinatorUnderTest.Token, Hello(node), IngestClient.Batch(Fatal(node, 2)));

        foreach (var node in nodes)
        {
            var now = await KernelReadyOnServer(node, "finding 2", cluster);
            Assert.Equal(first[node], now["lastTransitionTime"]!.ToString());
        }

        foreach (var node in moving)
            Assert.Equal([leaving, staying], WritersOf(node));
        var late = _server.Requests.Skip(requestsBefore).Where(r => r.Method == "PATCH" && r.Query.Contains($"fieldManager={leaving}")).ToList();
        Assert.True(late.Count == 0, $"the member that left still wrote: {string.Join('\n', late)}");
    }

    /// <summary>An agent whose kernel monitor is reading: its KernelReady is published.</summary>
    private static AgentMessage Hello(string node) =>
        new(Hello: new AgentHello(node, "boot-1", "test", [new MonitorStatus(ConditionType.KernelReady, MonitorState.Active, "KernelIsReady", "")]));

    private static Finding Fatal(string node, long sequence) => IngestClient.Finding(node, sequence, severity: Severity.Fatal, reason: "MemoryUncorrectableError");

    /// <summary>The field managers that patched this node's status, in the order they first did.</summary>
    private IEnumerable<string> WritersOf(string node) =>
        _server.RequestsTo("PATCH", $"/api/v1/nodes/{node}/status")
            .Select(r => r.Query.Split('?', '&').Single(p => p.StartsWith("fieldManager=", StringComparison.Ordinal))["fieldManager=".Length..])
            .Distinct();

    private async Task<System.Text.Json.Nodes.JsonObject> KernelReadyOnServer(string node, string message, CoordinatorCluster cluster) =>
        (await Eventually.ValueAsync(() => Task.FromResult(NodeObjects.Condition(_server.Nodes.Get(node), "KernelReady")),
            c => c?["message"]?.ToString().Contains(message) == true, TimeSpan.FromSeconds(20),
            c => $"node {node}'s KernelReady on the server is {c?.ToJsonString()}, not carrying '{message}'; requests:\n{string.Join('\n', _server.Requests.Where(r => r.Path.Contains(node)))}\n{string.Join('\n', cluster.Members.Select(m => FindingFlow.Tail(m.Output)))}"))!;
}
