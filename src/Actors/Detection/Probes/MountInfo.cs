using System.Text;

namespace NodeHealth.Actors.Detection.Probes;

/// <summary>
/// One line of /proc/&lt;pid&gt;/mountinfo (proc(5)): "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue".
/// <see cref="MountOptions"/> are the per-mount flags (a mount made read-only), <see cref="SuperOptions"/> the
/// filesystem's (a filesystem the kernel turned read-only after an error shows "ro" there, or ext4's
/// "emergency_ro" on 6.x kernels, under a mount that still says "rw").
/// </summary>
public sealed record Mount(int Id, int ParentId, string Device, string Root, string MountPoint, string MountOptions, string FileSystem, string Source, string SuperOptions)
{
    public bool MountReadOnly => HasOption(MountOptions, "ro");

    public bool SuperReadOnly => HasOption(SuperOptions, "ro") || HasOption(SuperOptions, "emergency_ro");

    public bool ReadOnly => MountReadOnly || SuperReadOnly;

    /// <summary>The short device name the kernel log uses ("nvme0n1p1" for /dev/nvme0n1p1), else the source as written.</summary>
    public string DeviceName => Source.StartsWith("/dev/", StringComparison.Ordinal) ? Source[(Source.LastIndexOf('/') + 1)..] : Source;

    private static bool HasOption(string options, string option)
    {
        foreach (var range in options.AsSpan().Split(','))
            if (options.AsSpan(range.Start.Value, range.End.Value - range.Start.Value).SequenceEqual(option))
                return true;
        return false;
    }
}

public static class MountInfo
{
    /// <summary>The host's mount table: pid 1's under HOST_ROOT (the agent's own namespace is the container's), our own on a plain host.</summary>
    public const string HostInitPath = "/proc/1/mountinfo";
    public const string OwnPath = "/proc/self/mountinfo";

    /// <summary>Parses every line; a line that is not a mountinfo line fails with its number and text.</summary>
    public static IReadOnlyList<Mount> Parse(string text, string file)
    {
        var mounts = new List<Mount>();
        var number = 0;
        foreach (var line in text.Split('\n'))
        {
            number++;
            if (line.Length > 0)
                mounts.Add(ParseLine(line, file, number));
        }
        return mounts;
    }

    private static Mount ParseLine(string line, string file, int number)
    {
        var fields = line.Split(' ');
        var separator = fields.Length < 10 ? -1 : Array.IndexOf(fields, "-", 6);
        if (separator < 0 || fields.Length < separator + 4)
            throw new ProbeInputException($"{file} line {number}: not a mountinfo line (expected 'id parent major:minor root mountpoint options [optional...] - fstype source superoptions'): '{ProbeText.Shorten(line)}'");
        return new Mount(
            (int)ProbeText.Number(fields[0], $"{file} line {number}", "mount id"),
            (int)ProbeText.Number(fields[1], $"{file} line {number}", "parent id"),
            fields[2],
            Unescape(fields[3]),
            Unescape(fields[4]),
            fields[5],
            fields[separator + 1],
            Unescape(fields[separator + 2]),
            fields[separator + 3]);
    }

    /// <summary>The kernel writes space, tab, newline and backslash in paths as \040, \011, \012, \134.</summary>
    public static string Unescape(string field)
    {
        if (!field.Contains('\\'))
            return field;
        var result = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && IsOctal(field[i + 1]) && IsOctal(field[i + 2]) && IsOctal(field[i + 3]))
            {
                result.Append((char)((field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 + (field[i + 3] - '0')));
                i += 3;
            }
            else
            {
                result.Append(field[i]);
            }
        }
        return result.ToString();
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';

    /// <summary>The mount a path lives on: the longest mount point that is the path or a parent of it (the last such mount when stacked).</summary>
    public static Mount? Backing(IReadOnlyList<Mount> mounts, string path)
    {
        Mount? best = null;
        foreach (var mount in mounts)
            if (Contains(mount.MountPoint, path) && (best is null || mount.MountPoint.Length >= best.MountPoint.Length))
                best = mount;
        return best;
    }

    private static bool Contains(string mountPoint, string path) =>
        mountPoint == "/"
        || path == mountPoint
        || (path.StartsWith(mountPoint, StringComparison.Ordinal) && path.Length > mountPoint.Length && path[mountPoint.Length] == '/');
}
