using NodeHealth.Actors.Agent.KernelProbes;
using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Actors.Detection.Probes;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Agent.Storage;

/// <summary>
/// EKS's XFSSmallAverageClusterSize for every distinct XFS device in the host's mount table, through the host's
/// own `xfs_db -r` (read-only; the device stays mounted). Absent where no XFS is mounted or xfs_db is not installed.
/// </summary>
public sealed class XfsProbe(IHostFiles host, IHostCommands commands, string mountInfoPath, TimeSpan interval) : IProbe
{
    public const string Program = "/usr/sbin/xfs_db";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public string Name => "xfs";
    public ConditionType Condition => ConditionType.StorageReady;
    public TimeSpan Interval => interval;
    public string Description => $"xfs_db -r -c 'freesp -s' on the XFS devices of {mountInfoPath} under {host.Root}";

    public ProbeOutcome Poll()
    {
        var text = host.ReadText(mountInfoPath) ?? throw new ProbeUnavailableException($"{mountInfoPath} does not exist under {host.Root}");
        var devices = KernelProbeOutcome.Parse(() => MountInfo.Parse(text, mountInfoPath))
            .Where(m => m.FileSystem == "xfs" && m.Source.StartsWith("/dev/", StringComparison.Ordinal))
            .DistinctBy(m => m.Source)
            .ToList();
        if (devices.Count == 0)
            return new ProbeOutcome.Absent("no XFS filesystem is mounted");

        var failing = new List<ProbeFailure>();
        foreach (var mount in devices)
        {
            var result = commands.Run(Program, ["-r", "-c", "freesp -s", mount.Source], Timeout);
            if (result is null)
                return new ProbeOutcome.Absent($"{Program} is not installed on the host");
            if (result.ExitCode != 0)
                throw new ProbeUnavailableException($"{Program} -r -c 'freesp -s' {mount.Source} exited {result.ExitCode}: {ProbeText.Shorten(result.Output.Trim())}");
            var average = KernelProbeOutcome.Parse(() => XfsFreeSpaceCheck.AverageExtentBlocks(result.Output, mount.Source));
            if (XfsFreeSpaceCheck.Check(mount.DeviceName, mount.MountPoint, average) is { } problem)
                failing.Add(KernelProbeOutcome.Failure(problem));
        }
        return new ProbeOutcome.Checked(failing);
    }
}
