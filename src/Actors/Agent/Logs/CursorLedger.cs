namespace NodeHealth.Actors.Agent.Logs;

/// <summary>
/// Which position of a log a monitor may hand the uplink. A position is settled once every line before it has
/// had its detections published; a block still open holds it before the block's first line, so a restart
/// reads the block again rather than losing it (detections published from lines after that position may then
/// come twice). Each publish gets a cursor different from the last one handed over (the uplink takes a publish
/// at its last cursor for a resend), by a suffix the source never sees.
/// </summary>
public sealed class CursorLedger
{
    private const char Marker = '\u001F';
    private string? _lastRead;
    private string? _lastSent;
    private int _distinct;

    /// <summary>The position the monitor may save: null until a read or the uplink gave one.</summary>
    public string? Settled { get; private set; }

    /// <summary>The source's own cursor inside one this ledger handed out (or saved by an older agent).</summary>
    public static string? SourcePart(string? cursor)
    {
        if (cursor is null)
            return null;
        var marker = cursor.IndexOf(Marker);
        var part = marker < 0 ? cursor : cursor[..marker];
        return part.Length == 0 ? null : part;
    }

    /// <summary>Where the uplink says reading stopped last time.</summary>
    public void Resumed(string? saved)
    {
        _lastSent = saved;
        _lastRead = Settled = SourcePart(saved);
    }

    /// <summary>
    /// A read ended at <paramref name="readCursor"/> (null: the source gave no position); its lines were numbered from
    /// <paramref name="firstLine"/>; <paramref name="openBlockLine"/> is the first line of a block still open after it.
    /// </summary>
    public void AfterRead(string? readCursor, long firstLine, long? openBlockLine)
    {
        var before = _lastRead;
        _lastRead = readCursor ?? _lastRead;
        if (openBlockLine is null)
            Settled = _lastRead;
        else if (openBlockLine >= firstLine)
            Settled = before;
        // Else a block from an earlier read is still open: the position stays before it.
    }

    /// <summary>A flush closed what was open: every line read so far is settled.</summary>
    public void AfterFlush(long? openBlockLine)
    {
        if (openBlockLine is null)
            Settled = _lastRead;
    }

    /// <summary>The position to save when nothing is published, or null when the uplink already has it.</summary>
    public string? ToSave()
    {
        if (Settled is null || Settled == SourcePart(_lastSent))
            return null;
        _lastSent = Settled;
        return Settled;
    }

    /// <summary>The cursor to publish findings with: the settled position, made distinct from the last one handed over.</summary>
    public string ToPublish()
    {
        var cursor = Settled ?? "";
        if (cursor == _lastSent || cursor.Length == 0)
            cursor = $"{cursor}{Marker}{++_distinct}";
        _lastSent = cursor;
        return cursor;
    }
}
