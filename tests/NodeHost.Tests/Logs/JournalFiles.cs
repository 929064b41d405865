using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;

namespace NodeHealth.NodeHost.Tests.Logs;

/// <summary>One journal entry as journald would store it: its identifier and MESSAGE bytes (any bytes, any length).</summary>
public sealed record JournalEntry(string Identifier, byte[] Message)
{
    public JournalEntry(string identifier, string message) : this(identifier, Encoding.UTF8.GetBytes(message))
    {
    }
}

/// <summary>
/// Real .journal files, written by Debian's systemd-journal-remote from journal export format (no journald
/// needed). A directory laid out as journald's: &lt;root&gt;/&lt;machine id&gt;/system.journal.
/// </summary>
public sealed class JournalFiles : IDisposable
{
    public const string JournalRemote = "/lib/systemd/systemd-journal-remote";
    private const string BootId = "7f3c2a1b9d8e4f60a1b2c3d4e5f60718";
    private static readonly Lock Gate = new();
    private static long s_lastRealtime;
    private readonly string _owned;

    /// <summary>Journal files in <paramref name="directory"/> (created), inside a machine-id subdirectory like journald's.</summary>
    public JournalFiles(string? directory = null)
    {
        _owned = directory ?? Path.Combine(Path.GetTempPath(), $"nh-journal-{Guid.NewGuid():N}");
        Root = directory ?? _owned;
        MachineDirectory = Path.Combine(Root, "4a1c0f7b2e9d4c3b8a6f5e4d3c2b1a09");
        Directory.CreateDirectory(MachineDirectory);
    }

    public string Root { get; }

    public string MachineDirectory { get; }

    /// <summary>When each appended entry was dated (__REALTIME_TIMESTAMP), in order.</summary>
    public List<DateTime> Dates { get; } = [];

    /// <summary>Appends the entries to system.journal (created on first use), as journald would write them.</summary>
    public void Append(params JournalEntry[] entries) => AppendTo("system.journal", entries);

    /// <summary>Appends to another file of the directory, as journald does after rotating system.journal.</summary>
    public void AppendTo(string file, params JournalEntry[] entries)
    {
        var export = Path.Combine(Path.GetTempPath(), $"nh-export-{Guid.NewGuid():N}.export");
        try
        {
            File.WriteAllBytes(export, ExportFormat(entries));
            var start = new ProcessStartInfo(JournalRemote, ["-o", Path.Combine(MachineDirectory, file), export])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(30_000))
                throw new TimeoutException($"{JournalRemote} did not finish in 30 s");
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"{JournalRemote} failed ({process.ExitCode}): {stderr.Result}");
        }
        finally
        {
            File.Delete(export);
        }
    }

    /// <summary>Export format: KEY=value lines, binary fields as KEY, a little-endian 64-bit size and the bytes; a blank line ends an entry.</summary>
    private byte[] ExportFormat(IEnumerable<JournalEntry> entries)
    {
        var output = new MemoryStream();
        void Text(string line) => output.Write(Encoding.UTF8.GetBytes(line + "\n"));
        var size = new byte[8];
        foreach (var entry in entries)
        {
            var micros = NextRealtime();
            Dates.Add(DateTime.UnixEpoch.AddTicks(micros * 10));
            Text($"__REALTIME_TIMESTAMP={micros}");
            Text($"__MONOTONIC_TIMESTAMP={micros % 1_000_000_000_000}");
            Text($"_BOOT_ID={BootId}");
            Text($"SYSLOG_IDENTIFIER={entry.Identifier}");
            Text($"_SYSTEMD_UNIT={entry.Identifier}.service");
            Text("MESSAGE");
            BinaryPrimitives.WriteUInt64LittleEndian(size, (ulong)entry.Message.Length);
            output.Write(size);
            output.Write(entry.Message);
            output.WriteByte((byte)'\n');
            output.WriteByte((byte)'\n');
        }

        return output.ToArray();
    }

    /// <summary>Strictly increasing, so entries keep their order however fast they are written.</summary>
    private static long NextRealtime()
    {
        lock (Gate)
            return s_lastRealtime = Math.Max((DateTime.UtcNow - DateTime.UnixEpoch).Ticks / 10, s_lastRealtime + 1);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_owned, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
