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
    private const int FlushEvery = 256;
    private static readonly ReadOnlyMemory<byte> NewLine = "\n"u8.ToArray();

    public async Task WriteAsync(Stream body, string? node, DateTime? since, CancellationToken cancellation)
    {
        await using var writer = new Utf8JsonWriter(body);
        var lines = 0;
        await foreach (var envelope in history.NodeEvents(node, cancellation))
        {
            if (envelope.Event is not INodeHealthEvent e || NodeTimeline.Utc(NodeTimeline.RecordedAt(e)) is var at && at < since)
                continue;
            Line(writer, e.NodeName, null, envelope, at, e);
            await Next(writer, body, ++lines, cancellation);
        }

        var repairs = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var envelope in history.GovernorEvents(cancellation))
        {
            if (envelope.Event is not IRepairGovernorEvent e)
                continue;
            var of = NodeOf(e, repairs);
            if ((node is not null && of != node) || NodeTimeline.Utc(e.RecordedAt) < since)
                continue;
            Line(writer, of, GovernorSource, envelope, NodeTimeline.Utc(e.RecordedAt), e);
            await Next(writer, body, ++lines, cancellation);
        }

        await body.FlushAsync(cancellation);
    }

    private void Line(Utf8JsonWriter writer, string? node, string? source, EventEnvelope envelope, DateTime at, object e)
    {
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
    }

    private static async Task Next(Utf8JsonWriter writer, Stream body, int lines, CancellationToken cancellation)
    {
        await writer.FlushAsync(cancellation);
        writer.Reset();
        await body.WriteAsync(NewLine, cancellation);
        if (lines % FlushEvery == 0)
            await body.FlushAsync(cancellation);
    }

    /// <summary>The node a governor record is about; a repair's steps and end by the node its start named.</summary>
    private static string? NodeOf(IRepairGovernorEvent e, Dictionary<string, string> repairs) => e switch
    {
        RepairDecisionRecorded d => d.Node,
        RepairDecisionWithdrawn w => w.Node,
        RepairStarted s => repairs[s.RepairId] = s.Node,
        RepairStepDone d => repairs.GetValueOrDefault(d.RepairId),
        RepairEnded end => repairs.GetValueOrDefault(end.RepairId),
        _ => null,
    };
}
