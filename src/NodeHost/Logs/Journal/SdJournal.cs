using System.Runtime.InteropServices;

namespace NodeHealth.NodeHost.Logs.Journal;

/// <summary>
/// The part of libsystemd's sd-journal(3) API the journal reader uses. Every function returns a negative
/// errno on failure. An sd_journal handle belongs to the one thread that opened it (see JournalReader).
/// </summary>
internal static unsafe partial class SdJournal
{
    /// <summary>The soname of libsystemd0; there is no unversioned libsystemd.so without the -dev package.</summary>
    public const string Library = "libsystemd.so.0";

    /// <summary>Look for /var/log/journal and /run/log/journal below the given path (a host root), not in it.</summary>
    public const int OsRoot = 1 << 4;

    public const int Nop = 0;
    public const int Append = 1;
    public const int Invalidate = 2;

    [LibraryImport(Library, EntryPoint = "sd_journal_open_directory", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int OpenDirectory(out nint journal, string path, int flags);

    [LibraryImport(Library, EntryPoint = "sd_journal_close")]
    public static partial void Close(nint journal);

    [LibraryImport(Library, EntryPoint = "sd_journal_add_match")]
    public static partial int AddMatch(nint journal, byte* data, nuint size);

    [LibraryImport(Library, EntryPoint = "sd_journal_seek_head")]
    public static partial int SeekHead(nint journal);

    [LibraryImport(Library, EntryPoint = "sd_journal_seek_tail")]
    public static partial int SeekTail(nint journal);

    [LibraryImport(Library, EntryPoint = "sd_journal_seek_cursor", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SeekCursor(nint journal, string cursor);

    [LibraryImport(Library, EntryPoint = "sd_journal_test_cursor", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int TestCursor(nint journal, string cursor);

    [LibraryImport(Library, EntryPoint = "sd_journal_next")]
    public static partial int Next(nint journal);

    [LibraryImport(Library, EntryPoint = "sd_journal_previous")]
    public static partial int Previous(nint journal);

    [LibraryImport(Library, EntryPoint = "sd_journal_get_data", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int GetData(nint journal, string field, out byte* data, out nuint length);

    [LibraryImport(Library, EntryPoint = "sd_journal_set_data_threshold")]
    public static partial int SetDataThreshold(nint journal, nuint size);

    [LibraryImport(Library, EntryPoint = "sd_journal_get_realtime_usec")]
    public static partial int GetRealtimeUsec(nint journal, out ulong usec);

    [LibraryImport(Library, EntryPoint = "sd_journal_get_cursor")]
    public static partial int GetCursor(nint journal, out nint cursor);

    /// <summary>The inotify descriptor that becomes readable when the journal changes; made (and its watches added) by the first call.</summary>
    [LibraryImport(Library, EntryPoint = "sd_journal_get_fd")]
    public static partial int GetFd(nint journal);

    /// <summary>The poll(2) events to wait for on <see cref="GetFd"/>.</summary>
    [LibraryImport(Library, EntryPoint = "sd_journal_get_events")]
    public static partial int GetEvents(nint journal);

    /// <summary>When to look even without an event (CLOCK_MONOTONIC µs, absolute), or ulong.MaxValue: libsystemd's own need, e.g. where inotify is unreliable.</summary>
    [LibraryImport(Library, EntryPoint = "sd_journal_get_timeout")]
    public static partial int GetTimeout(nint journal, out ulong timeoutUsec);

    /// <summary>After the descriptor woke (or the timeout passed): takes in the changes; returns Nop, Append or Invalidate.</summary>
    [LibraryImport(Library, EntryPoint = "sd_journal_process")]
    public static partial int Process(nint journal);

    /// <summary>The cursor of the current entry; libsystemd allocates it with malloc, so free() it.</summary>
    public static string? CurrentCursor(nint journal)
    {
        if (GetCursor(journal, out var pointer) < 0 || pointer == 0)
            return null;
        try
        {
            return Marshal.PtrToStringUTF8(pointer);
        }
        finally
        {
            NativeMemory.Free((void*)pointer);
        }
    }

    /// <summary>Null when libsystemd can be loaded, else why not (the agent's image lacks libsystemd0).</summary>
    public static string? Unavailable(string library = Library)
    {
        if (NativeLibrary.TryLoad(library, typeof(SdJournal).Assembly, null, out var handle))
        {
            var complete = NativeLibrary.TryGetExport(handle, "sd_journal_open_directory", out _);
            return complete ? null : $"{library} has no sd_journal_open_directory: it is not libsystemd";
        }

        return $"{library} cannot be loaded: install libsystemd0 in the agent's image to read the systemd journal";
    }

    public static string Describe(int result) => Marshal.GetPInvokeErrorMessage(-result);
}
