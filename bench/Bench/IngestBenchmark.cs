using System.Diagnostics;
using System.Threading.Channels;
using Grpc.Core;
using Grpc.Net.Client;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Wire;
using ProtoBuf.Grpc;
using ProtoBuf.Grpc.Client;

/// <summary>
/// Persisted, acknowledged findings per second through a running coordinator: simulated agents each
/// stream batches the way the uplink does (pipelined) and wait for the ack of their last finding.
/// </summary>
static class IngestBenchmark
{
    public static async Task RunAsync(Uri coordinator, string token, int agents, int findingsPerAgent, int batch)
    {
        using var channel = GrpcChannel.ForAddress(coordinator);
        var ingest = channel.CreateGrpcService<IFindingIngest>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, agents).Select(a => Agent(ingest, token, $"bench-{Guid.NewGuid():N}"[..14] + $"-{a}", findingsPerAgent, batch)));
        clock.Stop();

        var total = (long)agents * findingsPerAgent;
        Console.WriteLine($"ingest: {agents} agents x {findingsPerAgent:N0} findings in batches of {batch}: {total:N0} persisted and acknowledged in {clock.Elapsed.TotalSeconds:0.00} s");
        Console.WriteLine($"ingest: {total / clock.Elapsed.TotalSeconds:N0} findings per second");
    }

    private static async Task Agent(IFindingIngest ingest, string token, string node, int findings, int batch)
    {
        var boot = Guid.NewGuid().ToString("N");
        var outgoing = Channel.CreateUnbounded<AgentMessage>();
        outgoing.Writer.TryWrite(new AgentMessage(Hello: new AgentHello(node, boot, "bench", [])));
        for (var first = 1; first <= findings; first += batch)
        {
            var size = Math.Min(batch, findings - first + 1);
            outgoing.Writer.TryWrite(new AgentMessage(Batch: new FindingBatch([.. Enumerable.Range(first, size).Select(s =>
                new Finding(node, ConditionType.KernelReady, "SoftLockup", Severity.Warning, $"CPU#{s % 64} stuck for 23s [bench:{s}]",
                    DateTime.UtcNow, "kmsg", null, boot, s))])));
        }

        var call = new CallContext(new CallOptions(new Metadata { { "authorization", "Bearer " + token } }));
        await foreach (var reply in ingest.ConnectAsync(outgoing.Reader.ReadAllAsync(), call))
        {
            if (reply.Ack?.UpToSequence == findings)
                outgoing.Writer.Complete();
        }
    }
}
