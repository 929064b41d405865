using System.Text.Json;
using System.Text.Json.Serialization;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Agent.Uplink;

/// <summary>
/// Findings the coordinator would refuse (or did), set aside beside the spool with the reason, so
/// one bad finding neither blocks the stream nor vanishes without a trace.
/// </summary>
public sealed class FindingQuarantine(string stateDirectory, TimeProvider clock)
{
    public const string FileName = "quarantine.jsonl";

    private static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public string FilePath { get; } = Path.Combine(stateDirectory, FileName);

    /// <summary>Appends the finding and why; throws IOException when the file cannot be written.</summary>
    public void Add(Spooled finding, string why)
    {
        var line = JsonSerializer.SerializeToUtf8Bytes(new Entry(clock.GetUtcNow().UtcDateTime, why, finding.Finding, finding.Recovery), Json);
        using var file = new FileStream(FilePath, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
        file.Write([.. line, (byte)'\n']);
        file.Flush(flushToDisk: true);
    }

    private sealed record Entry(DateTime QuarantinedAt, string Why, Finding? Finding, ProbeRecovery? Recovery);
}
