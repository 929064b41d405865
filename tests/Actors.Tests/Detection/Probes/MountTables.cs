namespace NodeHealth.Actors.Tests.Detection.Probes;

/// <summary>Mount tables in the kernel's mountinfo format, as nodes write them.</summary>
internal static class MountTables
{
    /// <summary>An Amazon Linux 2023 worker: root on nvme0n1p1, a data volume for the kubelet, containerd on root.</summary>
    public const string Worker = """
        22 1 259:1 / / rw,noatime shared:1 - xfs /dev/nvme0n1p1 rw,attr2,inode64,logbufs=8,logbsize=32k,sunit=1024,swidth=1024,noquota
        23 22 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:5 - proc proc rw
        24 22 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:6 - sysfs sysfs rw
        25 24 0:6 / /sys/kernel/security rw,nosuid,nodev,noexec,relatime shared:7 - securityfs securityfs rw
        26 22 0:5 / /dev rw,nosuid shared:2 - devtmpfs devtmpfs rw,size=3954300k,nr_inodes=988575,mode=755
        27 24 0:25 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:8 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
        28 22 0:26 / /run rw,nosuid,nodev shared:11 - tmpfs tmpfs rw,size=1584172k,nr_inodes=819200,mode=755
        40 22 259:3 / /var/lib/kubelet rw,noatime shared:20 - ext4 /dev/nvme1n1 rw
        41 40 0:45 / /var/lib/kubelet/pods/0f7c1c0e-3a52-4a4c-9b1e-5b0b5a2d1a11/volumes/kubernetes.io~projected/kube-api-access-x2v9k rw,relatime shared:21 - tmpfs tmpfs rw,size=7812500k
        42 22 259:4 / /data\040disk rw,relatime shared:22 - ext4 /dev/nvme2n1 rw,errors=remount-ro
        43 22 7:0 / /snap/core22/1380 ro,nodev,relatime shared:23 - squashfs /dev/loop0 ro,errors=continue
        """;

    /// <summary>Bottlerocket: the root filesystem is dm-verity, mounted read-only on purpose; /usr read-only too.</summary>
    public const string Bottlerocket = """
        20 1 254:0 / / ro,relatime shared:1 - ext4 /dev/dm-0 ro
        21 20 259:2 / /usr ro,nodev,relatime shared:2 - erofs /dev/nvme0n1p3 ro,user_xattr,acl
        30 20 259:13 / /local rw,nosuid,nodev,noatime shared:13 - ext4 /dev/nvme1n1p1 rw
        31 20 259:13 /var /var rw,nosuid,nodev,noatime shared:14 - ext4 /dev/nvme1n1p1 rw
        32 20 259:13 /opt /opt rw,nosuid,nodev,noatime shared:15 - ext4 /dev/nvme1n1p1 rw
        """;

    /// <summary>Changes one mount line: its mount options (field 6) and super options (the last field).</summary>
    public static string With(string table, string mountPoint, string mountOptions, string superOptions) =>
        string.Join('\n', table.Split('\n').Select(line =>
        {
            var fields = line.Split(' ');
            if (fields.Length < 10 || fields[4] != mountPoint)
                return line;
            fields[5] = mountOptions;
            fields[^1] = superOptions;
            return string.Join(' ', fields);
        }));

    public static string Without(string table, string mountPoint) =>
        string.Join('\n', table.Split('\n').Where(line => line.Split(' ') is var f && (f.Length < 5 || f[4] != mountPoint)));
}
