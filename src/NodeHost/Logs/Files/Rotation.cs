namespace NodeHealth.NodeHost.Logs.Files;

/// <summary>What happened to the file at the path since we last read to its end.</summary>
public enum FileChange
{
    Unchanged = 0,
    Grew = 1,
    /// <summary>Same file, now shorter than what we read: copytruncate. Read it again from its start.</summary>
    Truncated = 2,
    /// <summary>Another file is at the path: rename-and-create. The old one is read to its end, then the new from its start.</summary>
    Replaced = 3,
    /// <summary>Renamed or deleted and not yet created again: keep what is open and wait.</summary>
    Missing = 4,
}

/// <summary>Where reading starts when the source opens.</summary>
public enum StartAt
{
    /// <summary>No file yet: when one appears, all of it is new.</summary>
    WhenCreated = 0,
    /// <summary>No cursor: after what the file holds now.</summary>
    End = 1,
    /// <summary>The saved file is still at the path: at the saved offset.</summary>
    Saved = 2,
    /// <summary>The saved file is at the path but shorter (copytruncate while stopped): from its start.</summary>
    Beginning = 3,
    /// <summary>The saved file was rotated away while stopped: its rest (if it is still found), then the file at the path from its start.</summary>
    RestOfRotated = 4,
}

/// <summary>The pure decisions of following a rotating log file, on inodes and sizes only.</summary>
public static class Rotation
{
    public static FileChange Decide(ulong readingInode, long readOffset, FileIdentity? atPath) => atPath switch
    {
        null => FileChange.Missing,
        { Inode: var inode } when inode != readingInode => FileChange.Replaced,
        { Size: var size } when size < readOffset => FileChange.Truncated,
        { Size: var size } when size > readOffset => FileChange.Grew,
        _ => FileChange.Unchanged,
    };

    public static StartAt Start(FilePosition? saved, FileIdentity? atPath) => (saved, atPath) switch
    {
        (null, null) => StartAt.WhenCreated,
        (null, _) => StartAt.End,
        (_, null) => StartAt.RestOfRotated,
        _ when saved.Inode != atPath.Inode => StartAt.RestOfRotated,
        _ when saved.Offset > atPath.Size => StartAt.Beginning,
        _ => StartAt.Saved,
    };
}
