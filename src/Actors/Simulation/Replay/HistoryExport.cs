using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using NodeHealth.Contracts.Repair;

namespace NodeHealth.Actors.Simulation.Replay;

/// <summary>A history export that cannot be read: the message names the file, the line and the problem.</summary>
public sealed class HistoryExportException(string message) : Exception(message);

/// <summary>One governor record of the export, with the line it came from.</summary>
public sealed record GovernorRecord(long Line, DateTimeOffset At, IRepairGovernorEvent Event);

/// <summary>
/// Reads the NDJSON of <c>GET /api/history/export</c>: one JSON object per line, node events
/// (<c>{"node":…,"sequenceNr":…,"at":…,"type":…,"event":{…}}</c>) and the governor's records
/// (<c>"source":"repair-governor"</c> with the same <c>type</c> and <c>event</c>). Replay needs only the governor's
/// records (each decision carries the findings and budget it was judged by); node events are counted and skipped.
/// </summary>
public static class HistoryExport
{
    public const int MaxLineBytes = 1024 * 1024;
    public const long MaxFileBytes = 1024L * 1024 * 1024;

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        Converters = { new JsonStringEnumConverter() },
    };

    private static readonly ImmutableDictionary<string, Type> GovernorTypes = new[]
    {
        typeof(RepairDecisionRecorded), typeof(RepairDecisionWithdrawn), typeof(RepairStarted), typeof(RepairEnded),
        typeof(RepairZoneTripped), typeof(RepairZoneClosed), typeof(RepairPausedByOperator), typeof(RepairResumedByOperator), typeof(RepairApprovedByOperator),
        typeof(RepairNodePausedByOperator), typeof(RepairNodeResumedByOperator),
    }.ToImmutableDictionary(t => t.Name, StringComparer.Ordinal);

    public static (ImmutableArray<GovernorRecord> Records, int NodeEvents) Read(string origin, TextReader reader)
    {
        var records = ImmutableArray.CreateBuilder<GovernorRecord>();
        var nodeEvents = 0;
        long number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (Encoding.UTF8.GetByteCount(line) > MaxLineBytes)
                throw new HistoryExportException($"{origin} line {number}: longer than {MaxLineBytes} bytes");
            if (string.IsNullOrWhiteSpace(line))
                continue;
            JsonElement root;
            try
            {
                using var document = JsonDocument.Parse(line);
                root = document.RootElement.Clone();
            }
            catch (JsonException invalid)
            {
                throw new HistoryExportException($"{origin} line {number}: not a JSON object ({invalid.Message})");
            }

            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
                throw new HistoryExportException($"{origin} line {number}: each line is an object with \"type\" and \"event\"");
            var governor = root.TryGetProperty("source", out var source) && source.ValueKind == JsonValueKind.String && source.GetString() == "repair-governor";
            if (!governor)
            {
                nodeEvents++;
                continue;
            }

            if (!GovernorTypes.TryGetValue(type.GetString()!, out var eventType))
                continue; // A repair's steps do not change what a policy decides (its start and end do).
            if (!root.TryGetProperty("event", out var body) || body.ValueKind != JsonValueKind.Object)
                throw new HistoryExportException($"{origin} line {number}: a {type.GetString()} record needs its \"event\" object");
            IRepairGovernorEvent e;
            try
            {
                e = (IRepairGovernorEvent)(body.Deserialize(eventType, Options)
                    ?? throw new HistoryExportException($"{origin} line {number}: the event is null"));
            }
            catch (Exception problem) when (problem is JsonException or NotSupportedException or InvalidOperationException)
            {
                throw new HistoryExportException($"{origin} line {number}: {type.GetString()} cannot be read: {problem.Message}");
            }

            records.Add(new GovernorRecord(number, new DateTimeOffset(DateTime.SpecifyKind(RecordedAt(e), DateTimeKind.Utc)), e));
        }

        return ([.. records.OrderBy(r => r.At).ThenBy(r => r.Line)], nodeEvents);
    }

    private static DateTime RecordedAt(IRepairGovernorEvent e) => e switch
    {
        RepairDecisionRecorded d => d.RecordedAt,
        RepairDecisionWithdrawn w => w.RecordedAt,
        RepairStarted s => s.RecordedAt,
        RepairEnded end => end.RecordedAt,
        RepairZoneTripped t => t.RecordedAt,
        RepairZoneClosed c => c.RecordedAt,
        RepairPausedByOperator p => p.RecordedAt,
        RepairResumedByOperator r => r.RecordedAt,
        RepairApprovedByOperator a => a.RecordedAt,
        RepairNodePausedByOperator p => p.RecordedAt,
        RepairNodeResumedByOperator r => r.RecordedAt,
        _ => DateTime.MinValue,
    };
}
