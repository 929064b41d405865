using NodeHealth.Actors.Agent.Logs;

namespace NodeHealth.NodeHost.Logs.Files;

/// <summary>
/// Follows one log file across rotation. Data is read until the end, then the path is looked at: a new
/// file there (rename-and-create) is read from its start once the old one is read out; the same file grown
/// shorter (copytruncate) is read again from its start; no file waits. Between reads it sleeps until inotify
/// says the file or its directory changed (<see cref="LogFileWatch"/>), looking anyway every
/// <see cref="LogFileWatch.SafetyPoll"/> for what inotify cannot see (NFS, mmap writes), and every
/// <c>pollEvery</c> while it cannot watch.
/// </summary>
internal sealed class LogFileReader : ILogReader
{
    private const int MaxLinesPerRead = 1024;
    private readonly string _path;
    private readonly int _maxLineBytes;
    private readonly TimeSpan _pollEvery;
    private readonly byte[] _chunk = new byte[64 * 1024];
    private readonly LineSplitter _lines;
    private readonly LogFileWatch _watch;
    private FileStream? _stream;
    private ulong _inode;
    private long _lineEnd;
    private int _chunkStart;
    private int _chunkEnd;
    private bool _rotatedAway;
    private bool _skipFragment;
    private string? _reportedCursor;

    public LogFileReader(string path, FilePosition? saved, int maxLineBytes, TimeSpan pollEvery)
    {
        _path = path;
        _maxLineBytes = maxLineBytes;
        _pollEvery = pollEvery;
        _lines = new LineSplitter(maxLineBytes);
        var atPath = FileStat.OfPath(path);
        switch (Rotation.Start(saved, atPath))
        {
            case StartAt.End:
                OpenAtPath(atEnd: true);
                break;
            case StartAt.Saved:
                OpenAtPath(atEnd: false, saved!.Offset);
                break;
            case StartAt.Beginning:
                OpenAtPath(atEnd: false);
                break;
            case StartAt.RestOfRotated:
                OpenRotated(saved!);
                break;
            case StartAt.WhenCreated:
                break;
        }

        _reportedCursor = saved?.Format();
        _watch = new LogFileWatch(path); // Last: a constructor that throws leaves no inotify instance behind.
    }

    public LogRead Read(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var records = new List<LogRecord>();
        while (records.Count < MaxLinesPerRead && !cancellationToken.IsCancellationRequested)
        {
            if (NextLine(out var line))
            {
                if (line is not null)
                    records.Add(new LogRecord(line, null));
                continue;
            }

            if (!FollowPath(records))
                break;
        }

        var dropped = _lines.TakeDropped();
        var cursor = _stream is null ? _reportedCursor : new FilePosition(_inode, _lineEnd).Format();
        if (records.Count > 0 || dropped > 0 || cursor != _reportedCursor)
        {
            _reportedCursor = cursor;
            return new LogRead(records, cursor, 0, dropped);
        }

        _watch.Wait(timeout, _pollEvery, cancellationToken);
        return LogRead.Nothing(null);
    }

    /// <summary>Whether a change to the file wakes this reader at once (inotify), rather than the next poll.</summary>
    internal bool Watching => _watch.Watching;

    public void Dispose()
    {
        _stream?.Dispose();
        _watch.Dispose();
    }

    /// <summary>
    /// False at the end of what is there. <paramref name="line"/> is null for a line dropped for its length or a
    /// fragment of a line begun before a first start.
    /// </summary>
    private bool NextLine(out string? line)
    {
        line = null;
        while (_stream is not null)
        {
            if (_chunkStart == _chunkEnd)
            {
                _chunkStart = 0;
                _chunkEnd = _stream.Read(_chunk, 0, _chunk.Length);
                if (_chunkEnd == 0)
                    return false;
            }

            var (ended, text, consumed) = _lines.Take(_chunk.AsSpan(_chunkStart, _chunkEnd - _chunkStart));
            _chunkStart += consumed;
            if (!ended)
                continue;
            _lineEnd = _stream.Position - (_chunkEnd - _chunkStart);
            line = _skipFragment ? null : text;
            _skipFragment = false;
            return true;
        }

        return false;
    }

    /// <summary>At the end of the open file: follows what happened at the path. True when there is more to read.</summary>
    private bool FollowPath(List<LogRecord> records)
    {
        var atPath = FileStat.OfPath(_path);
        if (_stream is null)
        {
            if (atPath is null)
                return false;
            OpenAtPath(atEnd: false);
            return _stream is not null;
        }

        switch (_rotatedAway ? FileChange.Replaced : Rotation.Decide(_inode, _stream.Position, atPath))
        {
            case FileChange.Grew:
                return true;
            case FileChange.Truncated:
                _lines.Reset();
                _skipFragment = false;
                _stream.Position = 0;
                _lineEnd = 0;
                _chunkStart = _chunkEnd = 0;
                return true;
            case FileChange.Replaced when atPath is not null:
                // The old file ended without a newline: the writer is done with it, so its last line is whole.
                if (_lines.Flush() is { } last && !_skipFragment)
                    records.Add(new LogRecord(last, null));
                _skipFragment = false;
                _stream.Dispose();
                _stream = null;
                _rotatedAway = false;
                OpenAtPath(atEnd: false);
                return true;
            default:
                return false;
        }
    }

    private void OpenAtPath(bool atEnd, long offset = 0)
    {
        var stream = OpenStream(_path);
        if (stream is null)
            return;
        var identity = FileStat.OfHandle(stream.SafeFileHandle);
        if (atEnd && identity.Size > 0)
        {
            stream.Position = identity.Size - 1;
            // Started in the middle of a line: its rest is not a line of its own.
            _skipFragment = stream.ReadByte() != '\n';
        }
        else
            stream.Position = Math.Min(offset, identity.Size);

        Use(stream, identity.Inode);
    }

    /// <summary>The saved file under its rotated name (messages.1, messages-20261127, ipamd-….log), read on from the saved offset.</summary>
    private void OpenRotated(FilePosition saved)
    {
        var directory = Path.GetDirectoryName(_path)!;
        var prefix = Path.GetFileNameWithoutExtension(_path);
        var rotated = Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, prefix + "*").FirstOrDefault(f => f != _path && FileStat.OfPath(f)?.Inode == saved.Inode)
            : null;
        if (rotated is null || OpenStream(rotated) is not { } stream)
        {
            OpenAtPath(atEnd: false);
            return;
        }

        var identity = FileStat.OfHandle(stream.SafeFileHandle);
        stream.Position = Math.Min(saved.Offset, identity.Size);
        Use(stream, identity.Inode);
        _rotatedAway = true;
    }

    private void Use(FileStream stream, ulong inode)
    {
        _stream = stream;
        _inode = inode;
        _lineEnd = stream.Position;
        _chunkStart = _chunkEnd = 0;
        _lines.Reset();
    }

    private static FileStream? OpenStream(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
