using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Akka.Actor;
using Akka.Hosting;
using Grpc.Core;
using Status = Grpc.Core.Status;
using NodeHealth.Actors.Health;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;
using NodeHealth.Contracts.Wire;
using NodeHealth.Coordinator.Metrics;
using NodeHealth.Coordinator.Security.Agents;
using ProtoBuf.Grpc;

namespace NodeHealth.Coordinator.Ingest;

/// <summary>
/// The agents' stream. Authenticates (see <see cref="IAgentAuthenticator"/>), binds the stream to the node
/// named in the hello, which must be the credential's node when it names one, ends it when the credential
/// expires, and answers
/// each batch with an ack only after the entity has persisted it. Commands for the node (a reboot) come down the same
/// stream from its entity, through the stream's <see cref="AgentStreamActor"/>; the agent's answers go back to the entity. When the coordinator stops, every
/// stream ends at once with Unavailable, so its agent reconnects (to another coordinator) and resends
/// whatever was not acknowledged.
/// </summary>
public sealed class IngestService(
    ActorSystem system,
    IRequiredActor<NodeHealthRegion> region,
    IAgentAuthenticator authenticator,
    TimeProvider clock,
    IHostApplicationLifetime lifetime,
    IngestStreams streams,
    CrashedMembers crashed,
    ILogger<IngestService> log) : IFindingIngest
{
    private static readonly TimeSpan PersistTimeout = TimeSpan.FromSeconds(10);
    private const int OutgoingCapacity = 256;

    public async IAsyncEnumerable<CoordinatorMessage> ConnectAsync(
        IAsyncEnumerable<AgentMessage> messages, CallContext context = default)
    {
        var call = context.ServerCallContext ?? throw new InvalidOperationException("gRPC server call expected");
        call.GetHttpContext().Response.RegisterForDispose(streams.Track());
        var agent = await authenticator.AuthenticateAsync(call.RequestHeaders, call.CancellationToken);
        using var expiry = agent.Expiry(clock);
        // Kestrel would otherwise wait for open streams until its shutdown timeout, long past the pod's grace period.
        using var stream = CancellationTokenSource.CreateLinkedTokenSource(call.CancellationToken, lifetime.ApplicationStopping, expiry.Token);
        await using var replies = Serve(messages, call, agent, stream.Token).GetAsyncEnumerator(stream.Token);
        while (await NextUnlessStopping(replies, expiry.Token))
            yield return replies.Current;
    }

    private async ValueTask<bool> NextUnlessStopping(IAsyncEnumerator<CoordinatorMessage> replies, CancellationToken expiry)
    {
        try
        {
            return await replies.MoveNextAsync();
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "the coordinator is shutting down; reconnect and resend what was not acknowledged"));
        }
        catch (OperationCanceledException) when (expiry.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "the token this stream was opened with has expired; reconnect with the current one"));
        }
    }

    /// <summary>
    /// Replies to what the agent sends (written by <see cref="ReceiveAsync"/>) and the commands the node's entity sends
    /// to this stream's actor, in one outgoing sequence. Whatever ends the receiving ends the stream, with its error.
    /// </summary>
    private async IAsyncEnumerable<CoordinatorMessage> Serve(
        IAsyncEnumerable<AgentMessage> messages, ServerCallContext call, AgentIdentity agent, [EnumeratorCancellation] CancellationToken cancellation)
    {
        var entities = await region.GetAsync(cancellation);
        // Bounded: an agent that stops reading slows its own acks down; a command that finds it full is sent again with the next heartbeat.
        var outgoing = Channel.CreateBounded<CoordinatorMessage>(new BoundedChannelOptions(OutgoingCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        var receiving = ReceiveAsync(messages, call, agent, entities, outgoing.Writer, cancellation);
        await foreach (var message in outgoing.Reader.ReadAllAsync(CancellationToken.None))
            yield return message;
        await receiving;
    }

    private async Task ReceiveAsync(
        IAsyncEnumerable<AgentMessage> messages, ServerCallContext call, AgentIdentity agent, IActorRef entities,
        ChannelWriter<CoordinatorMessage> outgoing, CancellationToken cancellation)
    {
        IActorRef? stream = null;
        try
        {
            await using var incoming = messages.GetAsyncEnumerator(cancellation);
            if (!await incoming.MoveNextAsync())
                return;
            var hello = incoming.Current.Hello
                ?? throw new RpcException(new Status(StatusCode.InvalidArgument, "the first message on the stream must be a hello"));
            IngestValidation.Validate(hello);
            agent.Authorize(hello.NodeName);
            var node = hello.NodeName;
            await Persisted<MonitorsAck>(entities, new ReportHostBoot(node, hello.HostBootId), cancellation);
            await Persisted<MonitorsAck>(entities, new ReportMonitors(node, hello.Monitors.OrEmpty()), cancellation);
            log.LogInformation("Agent {Agent} connected for node {Node} from {Peer}", hello.AgentBootId, node, call.Peer);
            await outgoing.WriteAsync(new CoordinatorMessage(new BatchAck(hello.AgentBootId, 0, 0, 0)), cancellation);
            // After the hello's ack and the new boot id: the entity sends this stream what the agent has not answered.
            stream = system.ActorOf(AgentStreamActor.Props(node, outgoing));
            entities.Tell(new AttachAgentStream(node, hello.AgentBootId), stream);

            while (await incoming.MoveNextAsync())
            {
                var message = incoming.Current;
                if (message.Hello is not null)
                    throw new RpcException(new Status(StatusCode.InvalidArgument, "a stream carries one hello; open a new stream to start over"));
                if (message.Batch is { } batch)
                {
                    IngestValidation.Validate(batch, node);
                    // A resend after an agent restart can mix runs: each run is deduplicated and acknowledged on its own.
                    var findings = batch.Findings.OrEmpty();
                    var recoveries = batch.Recoveries.OrEmpty();
                    var arrived = IngestMetrics.Now();
                    foreach (var run in findings.Select(f => f.AgentBootId).Concat(recoveries.Select(r => r.AgentBootId)).Distinct())
                        await outgoing.WriteAsync(new CoordinatorMessage(IngestMetrics.Acknowledged(await Persisted<BatchAck>(entities, new RecordFindings(node, run,
                            [.. findings.Where(f => f.AgentBootId == run)], [.. recoveries.Where(r => r.AgentBootId == run)]), cancellation), arrived)), cancellation);
                }
                else if (message.Status is { } status)
                {
                    IngestValidation.Validate(status.Monitors.OrEmpty(), "status");
                    await Persisted<MonitorsAck>(entities, new ReportMonitors(node, status.Monitors.OrEmpty()), cancellation);
                }
                else if (message.Heartbeat is not null)
                {
                    entities.Tell(new RenewAgentLease(node), stream);
                }
                else if (message.CommandResult is { } result)
                {
                    IngestValidation.Validate(result);
                    entities.Tell(new RecordAgentCommandResult(node, result), stream);
                }
                else
                {
                    throw new RpcException(new Status(StatusCode.InvalidArgument,
                        "after the hello every message must carry a finding batch, a monitor status, a heartbeat or a command result"));
                }
            }

            log.LogInformation("Agent {Agent} of node {Node} closed its stream", hello.AgentBootId, node);
        }
        finally
        {
            if (stream is not null)
                system.Stop(stream);
            outgoing.TryComplete();
        }
    }

    private async Task<T> Persisted<T>(IActorRef entities, IWithNodeName command, CancellationToken cancellation)
    {
        var memberCrashed = crashed.Current;
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellation, memberCrashed);
        try
        {
            return await entities.Ask<T>(command, PersistTimeout, wait.Token);
        }
        catch (AskTimeoutException)
        {
            throw new RpcException(new Status(StatusCode.Unavailable,
                $"persisting for node {command.NodeName} took longer than {PersistTimeout.TotalSeconds:0}s; reconnect and resend"));
        }
        catch (OperationCanceledException) when (memberCrashed.IsCancellationRequested && !cancellation.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unavailable,
                $"a coordinator crashed while persisting for node {command.NodeName}; reconnect and resend (shards are moving)"));
        }
    }
}
