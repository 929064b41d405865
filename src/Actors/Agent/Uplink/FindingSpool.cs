using System.Text.Json;
using System.Text.Json.Serialization;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Agent.Uplink;

/// <summary>
/// The agent's durable outbox: findings not yet acknowledged, and the read position (cursor) of each
/// log source, in one append-only file under the state directory. A finding and the cursor just past
/// its log line are written in one record, so a restart neither replays nor skips that line.
/// Bounded: past <see cref="Capacity"/> pending findings the oldest are dropped and counted.
/// </summary>
public sealed class FindingSpool : IDisposable
{
    public const string FileName = "spool.jsonl";
    private const long CompactAfterBytes = 4 * 1024 * 1024;

    private static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly string _path;
    private readonly LinkedList<Finding> _pending = new();
    private readonly Dictionary<string, string> _cursors = new(StringComparer.Ordinal);
    private FileStream _file;

    private FindingSpool(string path, int capacity)
    {
        _path = path;
        Capacity = capacity;
        if (File.Exists(path))
            Replay(path);
        _file = Rewrite();
    }

    public int Capacity { get; }

    /// <summary>Findings dropped because the spool was full since it was opened.</summary>
    public long Dropped { get; private set; }

    /// <summary>Lines of the spool file that could not be read back (a torn last write after a crash).</summary>
    public int CorruptRecords { get; private set; }

    public IReadOnlyCollection<Finding> Pending => _pending;

    public static FindingSpool Open(string stateDirectory, int capacity = 10_000)
    {
        Directory.CreateDirectory(stateDirectory);
        return new FindingSpool(Path.Combine(stateDirectory, FileName), capacity);
    }

    public string? Cursor(string source) => _cursors.GetValueOrDefault(source);

    /// <summary>Durably records findings together with the cursor of the source they came from.</summary>
    public void Append(IReadOnlyList<Finding> findings, string? source, string? cursor)
    {
        if (findings.Count == 0)
        {
            if (source is not null && cursor is not null)
                SaveCursor(source, cursor);
            return;
        }

        for (var i = 0; i < findings.Count; i++)
        {
            var finding = findings[i];
            // The cursor rides on the last record only: a torn append re-reads the lines, never skips them.
            var last = i == findings.Count - 1;
            Write(new Record { Finding = finding, Source = last ? source : null, Cursor = last ? cursor : null });
            _pending.AddLast(finding);
            if (_pending.Count > Capacity)
            {
                _pending.RemoveFirst();
                Dropped++;
            }
        }

        if (source is not null && cursor is not null)
            _cursors[source] = cursor;
        _file.Flush(flushToDisk: true);
        CompactIfLarge();
    }

    /// <summary>Moves a source's read position past lines that produced no finding.</summary>
    public void SaveCursor(string source, string cursor)
    {
        _cursors[source] = cursor;
        // No fsync: losing this only re-reads lines that produced nothing.
        Write(new Record { Source = source, Cursor = cursor });
        _file.Flush(flushToDisk: false);
        CompactIfLarge();
    }

    /// <summary>Forgets every finding of <paramref name="agentBootId"/> up to and including <paramref name="upToSequence"/>.</summary>
    public int Acknowledge(string agentBootId, long upToSequence)
    {
        var removed = 0;
        for (var node = _pending.First; node is not null;)
        {
            var next = node.Next;
            if (node.Value.AgentBootId == agentBootId && node.Value.Sequence <= upToSequence)
            {
                _pending.Remove(node);
                removed++;
            }

            node = next;
        }

        if (removed > 0)
        {
            Write(new Record { AckBootId = agentBootId, AckUpTo = upToSequence });
            _file.Flush(flushToDisk: false);
            CompactIfLarge();
        }

        return removed;
    }

    public void Dispose() => _file.Dispose();

    private void Write(Record record) => WriteTo(_file, record);

    private void Replay(string path)
    {
        foreach (var line in File.ReadLines(path))
        {
            Record? record;
            try
            {
                record = JsonSerializer.Deserialize<Record>(line, Json);
            }
            catch (JsonException)
            {
                CorruptRecords++;
                continue;
            }

            if (record is null)
                continue;
            if (record.Finding is { } finding)
                _pending.AddLast(finding);
            if (record.Source is { } source && record.Cursor is { } cursor)
                _cursors[source] = cursor;
            if (record.AckBootId is { } bootId)
            {
                for (var node = _pending.First; node is not null;)
                {
                    var next = node.Next;
                    if (node.Value.AgentBootId == bootId && node.Value.Sequence <= record.AckUpTo)
                        _pending.Remove(node);
                    node = next;
                }
            }
        }

        while (_pending.Count > Capacity)
        {
            _pending.RemoveFirst();
            Dropped++;
        }
    }

    private void CompactIfLarge()
    {
        if (_file.Length < CompactAfterBytes)
            return;
        _file.Dispose();
        _file = Rewrite();
    }

    /// <summary>Writes only what is still needed to a new file and swaps it in atomically.</summary>
    private FileStream Rewrite()
    {
        var temporary = _path + ".tmp";
        using (var compacted = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            foreach (var (source, cursor) in _cursors)
                WriteTo(compacted, new Record { Source = source, Cursor = cursor });
            foreach (var finding in _pending)
                WriteTo(compacted, new Record { Finding = finding });
            compacted.Flush(flushToDisk: true);
        }

        File.Move(temporary, _path, overwrite: true);
        return new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read);
    }

    private static void WriteTo(Stream stream, Record record)
    {
        stream.Write(JsonSerializer.SerializeToUtf8Bytes(record, Json));
        stream.WriteByte((byte)'\n');
    }

    private sealed class Record
    {
        public Finding? Finding { get; set; }
        public string? Source { get; set; }
        public string? Cursor { get; set; }
        public string? AckBootId { get; set; }
        public long AckUpTo { get; set; }
    }
}
