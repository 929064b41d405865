using System.Buffers.Binary;
using NodeHealth.Actors.Detection.Probes;

namespace NodeHealth.Actors.Tests.Detection.Probes;

public sealed class EbsStatisticsTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>A 4 KiB log page 0xD0 as an EBS volume returns it: magic, reserved, then the counters in order.</summary>
    private static byte[] Page(ulong volumeIops = 0, ulong volumeThroughput = 0, ulong instanceIops = 0, ulong instanceThroughput = 0, uint magic = EbsThrottling.Magic)
    {
        var page = new byte[EbsThrottling.PageSize];
        BinaryPrimitives.WriteUInt32LittleEndian(page, magic);
        ulong[] counters = [1_234_567, 7_654_321, 5_000_000_000, 9_000_000_000, 88_000_000, 99_000_000, volumeIops, volumeThroughput, instanceIops, instanceThroughput, 3];
        for (var i = 0; i < counters.Length; i++)
            BinaryPrimitives.WriteUInt64LittleEndian(page.AsSpan(8 + 8 * i), counters[i]);
        return page;
    }

    [Fact]
    public void The_statistics_page_gives_the_four_exceeded_time_counters()
    {
        var counters = EbsThrottling.Parse(Page(11, 22, 33, 44), "/dev/nvme1n1");

        Assert.Equal(new EbsThrottling(11, 22, 33, 44), counters);
    }

    [Fact]
    public void A_page_without_the_ebs_magic_is_an_error_naming_the_device()
    {
        var error = Assert.Throws<ProbeInputException>(() => EbsThrottling.Parse(Page(magic: 0xEC2C0D7E), "/dev/nvme2n1"));

        Assert.Contains("/dev/nvme2n1", error.Message);
        Assert.Contains("0xEC2C0D7E", error.Message);
        Assert.Throws<ProbeInputException>(() => EbsThrottling.Parse(new byte[16], "/dev/nvme2n1"));
    }

    [Fact]
    public void The_first_reading_is_a_baseline_even_with_days_of_throttling_behind_it()
    {
        var watch = new EbsThrottlingWatch();

        Assert.Empty(watch.Observe("vol-0abc", EbsThrottling.Parse(Page(volumeIops: 86_400_000_000), "/dev/nvme1n1"), T0));
    }

    [Fact]
    public void More_than_fifty_seconds_throttled_in_ten_minutes_raises_the_counter_s_reason()
    {
        var watch = new EbsThrottlingWatch();
        watch.Observe("vol-0abc", new EbsThrottling(1_000_000, 0, 0, 0), T0);

        var problems = watch.Observe("vol-0abc", new EbsThrottling(52_000_000, 0, 0, 50_000_000), T0.AddMinutes(10));

        var problem = Assert.Single(problems);
        Assert.Equal("EBSVolumeIOPSExceeded", problem.Reason);
        Assert.Equal("vol-0abc", problem.Entity);
    }

    [Fact]
    public void The_allowance_follows_the_time_between_readings()
    {
        var watch = new EbsThrottlingWatch();
        watch.Observe("vol-0abc", new EbsThrottling(0, 0, 0, 0), T0);

        // 30 s throttled in 5 minutes is over the 25 s that 5 s a minute allows.
        Assert.Equal("EBSInstanceThroughputExceeded", Assert.Single(watch.Observe("vol-0abc", new EbsThrottling(0, 0, 0, 30_000_000), T0.AddMinutes(5))).Reason);
        Assert.Empty(watch.Observe("vol-0abc", new EbsThrottling(20_000_000, 20_000_000, 20_000_000, 50_000_000), T0.AddMinutes(10)));
    }
}
