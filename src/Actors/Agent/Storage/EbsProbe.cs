using NodeHealth.Actors.Agent.KernelProbes;
using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Actors.Detection.Probes;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Agent.Storage;

/// <summary>NVMe admin commands to a controller's device node (an ioctl on the host).</summary>
public interface INvmeAdmin
{
    /// <summary>Log page <paramref name="logPage"/> of namespace <paramref name="namespaceId"/>, <paramref name="length"/> bytes. Throws <see cref="ProbeUnavailableException"/> on failure.</summary>
    byte[] LogPage(string device, byte logPage, uint namespaceId, int length);
}

/// <summary>
/// EKS's four EBS throttling reasons from the Amazon EBS statistics log page (<see cref="EbsThrottlingWatch"/>).
/// Present only where an NVMe controller is an EBS volume: sysfs names its model "Amazon Elastic Block Store"
/// and its PCI vendor 0x1d0f (what EKS reads with Identify Controller), so nothing is sent to other devices; the volume id is its serial ("vol0123…" → "vol-0123…").
/// </summary>
public sealed class EbsProbe(IHostFiles host, INvmeAdmin nvme, TimeProvider clock, TimeSpan interval) : IProbe
{
    public const string EbsModel = "Amazon Elastic Block Store";
    public const string AmazonVendor = "0x1d0f";
    private const string Controllers = "/sys/class/nvme";
    private readonly EbsThrottlingWatch _watch = new();

    public string Name => "ebs";
    public ConditionType Condition => ConditionType.StorageReady;
    public TimeSpan Interval => interval;
    public string Description => $"the EBS statistics log page of the EBS NVMe controllers in {Controllers} under {host.Root}";

    public ProbeOutcome Poll()
    {
        var volumes = new List<(string Device, string Volume)>();
        foreach (var controller in host.List(Controllers) ?? [])
        {
            if (host.ReadText($"{Controllers}/{controller}/model")?.Trim() != EbsModel
                || host.ReadText($"{Controllers}/{controller}/device/vendor")?.Trim() is { } vendor && vendor != AmazonVendor)
                continue;
            var serial = host.ReadText($"{Controllers}/{controller}/serial")?.Trim() ?? controller;
            var volume = serial.StartsWith("vol", StringComparison.Ordinal) && !serial.StartsWith("vol-", StringComparison.Ordinal) ? "vol-" + serial[3..] : serial;
            if (volumes.All(v => v.Volume != volume))
                volumes.Add(($"/dev/{controller}", volume));
        }
        if (volumes.Count == 0)
            return new ProbeOutcome.Absent("no Amazon EBS NVMe volume");

        var now = clock.GetUtcNow().UtcDateTime;
        var failing = new List<ProbeFailure>();
        foreach (var (device, volume) in volumes)
        {
            var page = nvme.LogPage(device, EbsThrottling.LogPage, namespaceId: 1, EbsThrottling.PageSize);
            var counters = KernelProbeOutcome.Parse(() => EbsThrottling.Parse(page, device));
            failing.AddRange(_watch.Observe(volume, counters, now).Select(KernelProbeOutcome.Failure));
        }
        return new ProbeOutcome.Checked(failing);
    }
}
