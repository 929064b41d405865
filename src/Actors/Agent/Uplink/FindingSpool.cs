using System.Text.Json;
using System.Text.Json.Serialization;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Agent.Uplink;

/// <summary>
/// The agent's durable outbox: findings and probe recoveries not yet acknowledged, and the read position (cursor) of each
/// log source, in one append-only file under the state directory. A finding and the cursor just past
/// its log line are written in one record, so a restart neither replays nor skips that line.
/// Bounded: past <see cref="Capacity"/> pending findings some are dropped (<see cref="SpoolEviction"/>).
/// A write that fails (disk full, read-only) throws and changes nothing in memory; the file is then
/// rewritten from memory before the next write, so a torn record never glues onto a later one.
/// The file is open only while written: the state directory can be remounted under a running agent.
/// </summary>
public sealed class FindingSpool
{
    public const string FileName = "spool.jsonl";
    private const long CompactAfterBytes = 4 * 1024 * 1024;

    private static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly LinkedList<Spooled> _pending = new();
    private readonly Dictionary<string, string> _cursors = new(StringComparer.Ordinal);
    private bool _rewriteFirst = true;

    private FindingSpool(string path, int capacity)
    {
        FilePath = path;
        Capacity = capacity;
        if (File.Exists(path))
            Replay(path);
    }

    public string FilePath { get; }

    public int Capacity { get; }

    /// <summary>Findings dropped because the spool was full since it was opened.</summary>
    public long Dropped { get; private set; }

    /// <summary>Lines of the spool file that could not be read back (a torn last write after a crash).</summary>
    public int CorruptRecords { get; private set; }

    public IReadOnlyCollection<Spooled> Pending => _pending;

    /// <summary>Reads what an earlier run left. A state directory that cannot be written yet is no error here: the first write reports it.</summary>
    public static FindingSpool Open(string stateDirectory, int capacity = 10_000)
    {
        var path = Path.Combine(stateDirectory, FileName);
        var spool = new FindingSpool(path, capacity);
        try
        {
            Directory.CreateDirectory(stateDirectory);
            spool.Rewrite();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next write to retry and report, with the monitor that wanted it.
        }

        return spool;
    }

    public string? Cursor(string source) => _cursors.GetValueOrDefault(source);

    /// <summary>
    /// Durably records findings together with the cursor of the source they came from; returns the
    /// findings given up to make room. Throws IOException (nothing recorded) when the file cannot be written.
    /// </summary>
    public IReadOnlyList<Spooled> Append(IReadOnlyList<Finding> findings, string? source, string? cursor) =>
        Append([.. findings.Select(f => new Spooled(f))], source, cursor);

    /// <summary>As above, for findings and probe recoveries in the order they were stamped.</summary>
    public IReadOnlyList<Spooled> Append(IReadOnlyList<Spooled> findings, string? source, string? cursor)
    {
        if (findings.Count == 0)
        {
            if (source is not null && cursor is not null)
                SaveCursor(source, cursor);
            return [];
        }

        var victims = SpoolEviction.Victims([.. _pending, .. findings], Capacity);
        var records = new List<Record>(findings.Count + victims.Count);
        for (var i = 0; i < findings.Count; i++)
        {
            // The cursor rides on the last record only: a torn append re-reads the lines, never skips them.
            var last = i == findings.Count - 1;
            records.Add(new Record { Finding = findings[i].Finding, Recovery = findings[i].Recovery, Source = last ? source : null, Cursor = last ? cursor : null });
        }

        records.AddRange(victims.Select(Forgotten));
        Write(records, flushToDisk: true);

        foreach (var finding in findings)
            _pending.AddLast(finding);
        foreach (var victim in victims)
            _pending.Remove(victim);
        Dropped += victims.Count;
        if (source is not null && cursor is not null)
            _cursors[source] = cursor;
        return victims;
    }

    /// <summary>Moves a source's read position past lines that produced no finding.</summary>
    public void SaveCursor(string source, string cursor)
    {
        _cursors[source] = cursor;
        // No fsync: losing this only re-reads lines that produced nothing.
        Write([new Record { Source = source, Cursor = cursor }], flushToDisk: false);
    }

    /// <summary>Forgets every finding of <paramref name="agentBootId"/> up to and including <paramref name="upToSequence"/>.</summary>
    public int Acknowledge(string agentBootId, long upToSequence)
    {
        var removed = RemoveAcknowledged(agentBootId, upToSequence);
        // Not durable is harmless: a forgotten ack only resends what the coordinator drops as duplicate.
        if (removed > 0)
            Write([new Record { AckBootId = agentBootId, AckUpTo = upToSequence }], flushToDisk: false);
        return removed;
    }

    /// <summary>Gives up one finding for good (set aside as invalid); false when it is not pending.</summary>
    public bool Forget(Spooled finding)
    {
        if (!_pending.Remove(finding))
            return false;
        Write([Forgotten(finding)], flushToDisk: true);
        return true;
    }

    private static Record Forgotten(Spooled finding) => new() { ForgetBootId = finding.AgentBootId, ForgetSequence = finding.Sequence };

    private void Write(IReadOnlyList<Record> records, bool flushToDisk)
    {
        using var buffer = new MemoryStream();
        foreach (var record in records)
            WriteTo(buffer, record);

        if (_rewriteFirst)
            Rewrite();
        // Unbuffered: each append reaches the OS whole or fails whole, and a failed one is not retried behind our back.
        using var file = new FileStream(FilePath, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
        var lengthBefore = file.Length;
        try
        {
            file.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
            file.Flush(flushToDisk);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _rewriteFirst = true;
            TryCut(file, lengthBefore);
            throw;
        }

        // Compacting at the next write is as good, and the rewrite runs there anyway.
        _rewriteFirst = file.Length >= CompactAfterBytes;
    }

    /// <summary>Cuts what a failed append may have left; when even that fails, the rewrite before the next write replaces the file.</summary>
    private static void TryCut(FileStream file, long length)
    {
        try
        {
            file.SetLength(length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

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
            if (record.Recovery is { } recovery)
                _pending.AddLast(recovery);
            if (record.Source is { } source && record.Cursor is { } cursor)
                _cursors[source] = cursor;
            if (record.AckBootId is { } bootId)
                RemoveAcknowledged(bootId, record.AckUpTo);
            if (record.ForgetBootId is { } forgetBootId)
                RemoveWhere(f => f.AgentBootId == forgetBootId && f.Sequence == record.ForgetSequence);
        }

        foreach (var victim in SpoolEviction.Victims([.. _pending], Capacity))
        {
            _pending.Remove(victim);
            Dropped++;
        }
    }

    private int RemoveAcknowledged(string agentBootId, long upToSequence) =>
        RemoveWhere(f => f.AgentBootId == agentBootId && f.Sequence <= upToSequence);

    private int RemoveWhere(Func<Spooled, bool> match)
    {
        var removed = 0;
        for (var node = _pending.First; node is not null;)
        {
            var next = node.Next;
            if (match(node.Value))
            {
                _pending.Remove(node);
                removed++;
            }

            node = next;
        }

        return removed;
    }

    /// <summary>Writes only what is still needed to a new file and swaps it in atomically.</summary>
    private void Rewrite()
    {
        var temporary = FilePath + ".tmp";
        try
        {
            using (var compacted = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                foreach (var (source, cursor) in _cursors)
                    WriteTo(compacted, new Record { Source = source, Cursor = cursor });
                foreach (var finding in _pending)
                    WriteTo(compacted, new Record { Finding = finding.Finding, Recovery = finding.Recovery });
                compacted.Flush(flushToDisk: true);
            }

            File.Move(temporary, FilePath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw;
        }

        _rewriteFirst = false;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static void WriteTo(Stream stream, Record record)
    {
        stream.Write(JsonSerializer.SerializeToUtf8Bytes(record, Json));
        stream.WriteByte((byte)'\n');
    }

    private sealed class Record
    {
        public Finding? Finding { get; set; }
        public ProbeRecovery? Recovery { get; set; }
        public string? Source { get; set; }
        public string? Cursor { get; set; }
        public string? AckBootId { get; set; }
        public long AckUpTo { get; set; }
        public string? ForgetBootId { get; set; }
        public long ForgetSequence { get; set; }
    }
}
