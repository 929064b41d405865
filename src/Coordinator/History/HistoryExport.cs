using System.Buffers;
using System.Text.Json;
using Akka.Persistence.Query;
using NodeHealth.Contracts.Health;
using NodeHealth.Contracts.Repair;

namespace NodeHealth.Coordinator.History;

/// <summary>
/// GET /api/history/export as NDJSON, one object a line, written as read (never the whole history in memory):
/// <c>{"node","sequenceNr","at","type","event"}</c> for each node's events (journal order, so oldest first per node),
/// then the repair governor's records as <c>{"node" (null for a zone or the pause),"source":"repair-governor",...}</c>.
/// </summary>
public sealed class HistoryExport(JournalHistory history, JsonSerializerOptions json)
{
    public const string ContentType = "application/x-ndjson";
    public const string GovernorSource = "repair-governor";
    private const int FlushAt = 32 * 1024;

    public async Task WriteAsync(Stream body, string? node, DateTime? since, CancellationToken cancellation)
    {
        // Lines are built in memory one batch at a time and written asynchronously: the serializer flushes synchronously.
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        await using var writer = new Utf8JsonWriter(buffer);
        await foreach (var envelope in history.NodeEvents(node, cancellation))
        {
            if (envelope.Event is not INodeHealthEvent e || NodeTimeline.Utc(NodeTimeline.RecordedAt(e)) is var at && at < since)
                continue;
            Line(writer, buffer, e.NodeName, null, envelope, at, e);
            await Drain(buffer, body, FlushAt, cancellation);
        }

        var repairs = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var envelope in history.GovernorEvents(cancellation))
        {
            if (envelope.Event is not IRepairGovernorEvent e)
                continue;
            var of = NodeOf(e, repairs);
            if ((node is not null && of != node) || NodeTimeline.Utc(e.RecordedAt) < since)
                continue;
            Line(writer, buffer, of, GovernorSource, envelope, NodeTimeline.Utc(e.RecordedAt), e);
            await Drain(buffer, body, FlushAt, cancellation);
        }

        await Drain(buffer, body, 0, cancellation);
        await body.FlushAsync(cancellation);
    }

    private void Line(Utf8JsonWriter writer, ArrayBufferWriter<byte> buffer, string? node, string? source, EventEnvelope envelope, DateTime at, object e)
    {
        writer.Reset(buffer);
        writer.WriteStartObject();
        writer.WriteString("node", node);
        if (source is not null)
            writer.WriteString("source", source);
        writer.WriteNumber("sequenceNr", envelope.SequenceNr);
        writer.WriteString("at", at);
        writer.WriteString("type", e.GetType().Name);
        writer.WritePropertyName("event");
        JsonSerializer.Serialize(writer, e, e.GetType(), json);
        writer.WriteEndObject();
        writer.Flush();
        buffer.Write("\n"u8);
    }

    /// <summary>Writes what the buffer holds once it holds at least <paramref name="atLeast"/> bytes.</summary>
    private static async Task Drain(ArrayBufferWriter<byte> buffer, Stream body, int atLeast, CancellationToken cancellation)
    {
        if (buffer.WrittenCount == 0 || buffer.WrittenCount < atLeast)
            return;
        await body.WriteAsync(buffer.WrittenMemory, cancellation);
        buffer.Clear();
    }

    /// <summary>The node a governor record is about; a repair's steps and end by the node its start named.</summary>
    private static string? NodeOf(IRepairGovernorEvent e, Dictionary<string, string> repairs) => e switch
    {
        RepairDecisionRecorded d => d.Node,
        RepairDecisionWithdrawn w => w.Node,
        RepairStarted s => repairs[s.RepairId] = s.Node,
        RepairApprovedByOperator a => a.Node,
        RepairNodePausedByOperator p => p.Node,
        RepairNodeResumedByOperator r => r.Node,
        RepairStepDone d => repairs.GetValueOrDefault(d.RepairId),
        RepairEnded end => repairs.GetValueOrDefault(end.RepairId),
        _ => null,
    };
}
