using System.Buffers.Binary;

namespace NodeHealth.Actors.Detection.Probes;

/// <summary>
/// The throttling counters of Amazon EBS's NVMe statistics log page (log id 0xD0, 4096 bytes, little-endian; the
/// layout amazon-ec2-utils' ebsnvme reads): magic 0x3C23B510 at 0, then from byte 8 eleven 64-bit counters, of
/// which the 7th to 10th are the microseconds that demand exceeded the volume's IOPS, the volume's throughput,
/// the instance's EBS IOPS and the instance's EBS throughput.
/// </summary>
public sealed record EbsThrottling(ulong VolumeIops, ulong VolumeThroughput, ulong InstanceIops, ulong InstanceThroughput)
{
    public const int PageSize = 4096;
    public const byte LogPage = 0xD0;
    public const uint Magic = 0x3C23B510;
    public const ushort AmazonVendorId = 0x1D0F;
    private const int VolumeIopsOffset = 56;

    public static EbsThrottling Parse(ReadOnlySpan<byte> page, string device)
    {
        if (page.Length < VolumeIopsOffset + 32)
            throw new ProbeInputException($"{device}: EBS statistics page is {page.Length} bytes, expected {PageSize}");
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(page);
        if (magic != Magic)
            throw new ProbeInputException($"{device}: EBS statistics page has magic 0x{magic:X8}, expected 0x{Magic:X8} (not an EBS volume?)");
        return new EbsThrottling(
            BinaryPrimitives.ReadUInt64LittleEndian(page[VolumeIopsOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(page[(VolumeIopsOffset + 8)..]),
            BinaryPrimitives.ReadUInt64LittleEndian(page[(VolumeIopsOffset + 16)..]),
            BinaryPrimitives.ReadUInt64LittleEndian(page[(VolumeIopsOffset + 24)..]));
    }
}

/// <summary>
/// EKS's EBSVolumeIOPSExceeded, EBSVolumeThroughputExceeded, EBSInstanceIOPSExceeded and
/// EBSInstanceThroughputExceeded: more than 50 s of throttled time per 10 minutes (5 s a minute) on a volume.
/// The counters are cumulative since the volume was attached, so the first reading of a volume is only a
/// baseline, and the rate is taken over the time that really passed between readings; EKS starts from 0 and so
/// fires on the first poll after start for throttling that may be days old.
/// </summary>
public sealed class EbsThrottlingWatch
{
    public static readonly TimeSpan Per = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan Allowed = TimeSpan.FromSeconds(50);

    private readonly Dictionary<string, (EbsThrottling Counters, DateTime At)> _last = [];

    public IReadOnlyList<ProbeProblem> Observe(string volume, EbsThrottling counters, DateTime now)
    {
        var problems = new List<ProbeProblem>();
        if (_last.TryGetValue(volume, out var before) && now > before.At)
        {
            var elapsed = now - before.At;
            Check("EBSVolumeIOPSExceeded", "the volume's provisioned IOPS", before.Counters.VolumeIops, counters.VolumeIops);
            Check("EBSVolumeThroughputExceeded", "the volume's provisioned throughput", before.Counters.VolumeThroughput, counters.VolumeThroughput);
            Check("EBSInstanceIOPSExceeded", "the instance's EBS IOPS limit", before.Counters.InstanceIops, counters.InstanceIops);
            Check("EBSInstanceThroughputExceeded", "the instance's EBS throughput limit", before.Counters.InstanceThroughput, counters.InstanceThroughput);

            void Check(string reason, string limit, ulong previous, ulong current)
            {
                if (current < previous)
                    return; // reattached: a new baseline
                var throttled = TimeSpan.FromMicroseconds(current - previous);
                var allowed = Allowed * (elapsed / Per);
                if (throttled > allowed)
                    problems.Add(new ProbeProblem(reason,
                        $"volume {volume} exceeded {limit} for {throttled.TotalSeconds:0.#} s in the last {elapsed.TotalMinutes:0.#} minutes (allowed {allowed.TotalSeconds:0.#} s)", volume));
            }
        }
        _last[volume] = (counters, now);
        return problems;
    }
}
