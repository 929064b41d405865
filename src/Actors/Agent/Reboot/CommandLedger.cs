using System.Text.Json;
using System.Text.Json.Serialization;
using NodeHealth.Contracts.Wire;

namespace NodeHealth.Actors.Agent.Reboot;

public enum CommandProgress
{
    /// <summary>Written before the command runs: if the agent (or the host) goes down now, it is never run again.</summary>
    Started = 0,
    Accepted = 1,
    Refused = 2,
    Failed = 3,
}

/// <summary>What the agent did with one command id, on <see cref="HostBootId"/> at <see cref="At"/>.</summary>
public sealed record CommandRecord(string Id, AgentCommandKind Kind, CommandProgress Progress, string Detail, string HostBootId, DateTime At);

/// <summary>
/// The command ids this agent has executed, in <c>commands.jsonl</c> in its state directory (a hostPath: it survives the
/// pod and the reboot). A record is on disk (flushed to the device) before the command runs, so an id runs at most once.
/// Bounded: the newest <see cref="Kept"/> ids are kept. A torn last line (a crash mid-write) is skipped when read back,
/// and the file is rewritten before the first write of a run, so a new record never glues onto a torn one.
/// </summary>
public sealed class CommandLedger
{
    public const string FileName = "commands.jsonl";
    public const int DefaultKept = 256;

    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };
    private readonly Dictionary<string, CommandRecord> _latest = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private int _lines;
    private bool _rewriteFirst;

    private CommandLedger(string path, int kept)
    {
        FilePath = path;
        Kept = kept;
        _rewriteFirst = File.Exists(path);
        if (!_rewriteFirst)
            return;
        foreach (var line in File.ReadLines(path))
        {
            _lines++;
            try
            {
                if (JsonSerializer.Deserialize<CommandRecord>(line, Json) is { Id.Length: > 0 } record)
                    Remember(record);
            }
            catch (JsonException)
            {
                CorruptRecords++;
            }
        }
    }

    public string FilePath { get; }

    /// <summary>How many ids are remembered (the newest).</summary>
    public int Kept { get; }

    /// <summary>Lines that could not be read back (a write torn by a crash).</summary>
    public int CorruptRecords { get; private set; }

    public static CommandLedger Open(string stateDirectory, int kept = DefaultKept) => new(Path.Combine(stateDirectory, FileName), kept);

    public CommandRecord? Find(string id) => _latest.GetValueOrDefault(id);

    /// <summary>Appends and flushes to the device; throws IOException (nothing remembered) when it cannot.</summary>
    public void Record(CommandRecord record)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        if (_rewriteFirst || _lines >= 2 * Kept)
            Compact();
        using (var file = new FileStream(FilePath, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0))
        {
            file.Write(System.Text.Encoding.UTF8.GetBytes(JsonSerializer.Serialize(record, Json) + "\n"));
            file.Flush(flushToDisk: true);
        }

        _lines++;
        Remember(record);
    }

    private void Remember(CommandRecord record)
    {
        if (_latest.ContainsKey(record.Id))
            _order.Remove(record.Id);
        _latest[record.Id] = record;
        _order.Add(record.Id);
        while (_order.Count > Kept)
        {
            _latest.Remove(_order[0]);
            _order.RemoveAt(0);
        }
    }

    /// <summary>Rewrites the file with the latest record of each kept id (a temporary file renamed over it: never half a ledger).</summary>
    private void Compact()
    {
        var temporary = FilePath + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            foreach (var id in _order)
                file.Write(System.Text.Encoding.UTF8.GetBytes(JsonSerializer.Serialize(_latest[id], Json) + "\n"));
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, FilePath, overwrite: true);
        _lines = _order.Count;
        _rewriteFirst = false;
    }
}
