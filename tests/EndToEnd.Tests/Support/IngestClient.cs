using System.Threading.Channels;
using Grpc.Core;
using Grpc.Net.Client;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;
using NodeHealth.Contracts.Wire;
using ProtoBuf.Grpc;
using ProtoBuf.Grpc.Client;

namespace NodeHealth.EndToEnd.Tests.Support;

/// <summary>Speaks the agent's gRPC stream directly, to send exactly what a test wants (including what no agent would).</summary>
public sealed class IngestClient(Uri address) : IDisposable
{
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { MaxSendMessageSize = null });

    /// <summary>How long one exchange may take before it is cancelled.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Sends the messages on one stream and returns the replies once every hello and batch is answered.</summary>
    public async Task<List<CoordinatorMessage>> ExchangeAsync(string? token, params AgentMessage[] messages)
    {
        var headers = new Metadata();
        if (token is not null)
            headers.Add("authorization", "Bearer " + token);
        using var timeout = new CancellationTokenSource(Timeout);
        var expected = messages.Sum(m => (m.Hello is null ? 0 : 1) + (m.Batch?.Findings.Select(f => f.AgentBootId).Distinct().Count() ?? 0));
        var outgoing = Channel.CreateUnbounded<AgentMessage>();
        foreach (var message in messages)
            outgoing.Writer.TryWrite(message);

        var replies = new List<CoordinatorMessage>();
        var ingest = _channel.CreateGrpcService<IFindingIngest>();
        await foreach (var reply in ingest.ConnectAsync(outgoing.Reader.ReadAllAsync(timeout.Token),
                           new CallContext(new CallOptions(headers, cancellationToken: timeout.Token))))
        {
            replies.Add(reply);
            if (replies.Count == expected)
                outgoing.Writer.Complete();
        }

        return replies;
    }

    public static AgentMessage Hello(string node, string bootId = "boot-1") => new(Hello: new AgentHello(node, bootId, "test", []));

    public static AgentMessage Batch(params Finding[] findings) => new(Batch: new FindingBatch([.. findings]));

    public static Finding Finding(string node, long sequence, string bootId = "boot-1", Severity severity = Severity.Warning, string reason = "SoftLockup") => new(
        node, ConditionType.KernelReady, reason, severity, $"finding {sequence}", DateTime.UtcNow, "test", null, bootId, sequence,
        severity == Severity.Fatal ? RecoveryMode.Manual : RecoveryMode.None);

    public void Dispose() => _channel.Dispose();
}
