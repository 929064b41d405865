using NodeHealth.Contracts;

namespace NodeHealth.Actors.Detection.Probes;

/// <summary>
/// A filesystem that went read-only under the node: the mounts of one device that turned read-only, why, and
/// which of the node's critical directories it backs (none: Warning; any: Fatal).
/// </summary>
public sealed record ReadOnlyFilesystem(string Entity, string Device, string FileSystem, IReadOnlyList<string> MountPoints, bool ByKernel, IReadOnlyList<string> Backs)
{
    public Severity Severity => Backs.Count > 0 ? Severity.Fatal : Severity.Warning;

    public string Describe() =>
        $"{string.Join(", ", MountPoints)} ({Entity}, {FileSystem}) "
        + (ByKernel ? "was made read-only by the kernel (an I/O or filesystem error) under a read-write mount" : "was read-write and is now mounted read-only")
        + (Backs.Count > 0 ? $"; it holds {string.Join(", ", Backs)}" : "; it holds none of the node's critical directories");
}

/// <summary>
/// FilesystemReadOnly from the mount table. A filesystem counts when it went read-only while in use, never when
/// it was mounted read-only on purpose (Bottlerocket's dm-verity root, a read-only /usr, a CD image):
/// <list type="bullet">
/// <item>the kernel made it read-only: the superblock says ro (or ext4's emergency_ro) while the mount says rw;
///   this needs no history, so it is seen after an agent restart too;</item>
/// <item>it was remounted read-only: a mount seen read-write by an earlier poll is read-only now.</item>
/// </list>
/// Its severity is Fatal when it backs "/", the kubelet's or the container runtime's directory (the mount that
/// holds the directory, by longest mount-point prefix), else Warning. EKS does not look at mounts at all.
/// </summary>
public sealed class ReadOnlyFilesystemWatch
{
    public const string Reason = "FilesystemReadOnly";

    public static readonly IReadOnlyList<string> DefaultCriticalDirectories =
        ["/", "/var/lib/kubelet", "/var/lib/containerd", "/var/lib/docker", "/run/containerd"];

    /// <summary>Filesystems that are read-only by nature: a read-only superblock there says nothing.</summary>
    private static readonly HashSet<string> ReadOnlyByNature = ["squashfs", "iso9660", "erofs", "cramfs", "romfs", "udf"];

    /// <summary>Kernel interfaces mounted read-only by container runtimes and systemd on purpose; not storage.</summary>
    private static readonly HashSet<string> Pseudo =
    [
        "proc", "sysfs", "cgroup", "cgroup2", "securityfs", "debugfs", "tracefs", "pstore", "bpf", "configfs", "fusectl",
        "mqueue", "hugetlbfs", "devpts", "binfmt_misc", "autofs", "nsfs", "efivarfs", "selinuxfs", "rpc_pipefs", "devtmpfs",
    ];

    private readonly IReadOnlyList<string> _critical;
    private readonly HashSet<(int Id, string Device, string MountPoint)> _seenWritable = [];

    public ReadOnlyFilesystemWatch(IReadOnlyList<string>? criticalDirectories = null) =>
        _critical = criticalDirectories ?? DefaultCriticalDirectories;

    public IReadOnlyList<string> CriticalDirectories => _critical;

    /// <summary>The filesystems read-only now (by the rules above), one per device, in mount-table order.</summary>
    public IReadOnlyList<ReadOnlyFilesystem> Observe(IReadOnlyList<Mount> mounts)
    {
        var turned = new List<(Mount Mount, bool ByKernel)>();
        var present = new HashSet<(int, string, string)>();
        foreach (var mount in mounts)
        {
            var key = (mount.Id, mount.Device, mount.MountPoint);
            present.Add(key);
            if (Pseudo.Contains(mount.FileSystem))
                continue;
            var byKernel = !mount.MountReadOnly && mount.SuperReadOnly && !ReadOnlyByNature.Contains(mount.FileSystem);
            if (!mount.ReadOnly)
                _seenWritable.Add(key);
            else if (byKernel || _seenWritable.Contains(key))
                turned.Add((mount, byKernel));
        }
        _seenWritable.IntersectWith(present);

        var backing = _critical
            .Select(directory => (Directory: directory, Mount: MountInfo.Backing(mounts, directory)))
            .Where(b => b.Mount is not null)
            .ToList();
        return turned
            .GroupBy(t => t.Mount.Device)
            .Select(device =>
            {
                var first = device.First().Mount;
                var mountIds = device.Select(t => t.Mount.Id).ToHashSet();
                return new ReadOnlyFilesystem(
                    first.Source.StartsWith("/dev/", StringComparison.Ordinal) ? first.DeviceName : first.MountPoint,
                    first.Device,
                    first.FileSystem,
                    [.. device.Select(t => t.Mount.MountPoint)],
                    device.Any(t => t.ByKernel),
                    [.. backing.Where(b => mountIds.Contains(b.Mount!.Id)).Select(b => b.Directory)]);
            })
            .ToList();
    }
}
