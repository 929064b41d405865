using NodeHealth.Actors.Detection.Probes;

namespace NodeHealth.Actors.Tests.Detection.Probes;

public sealed class XfsFreeSpaceTests
{
    /// <summary>xfs_db 6.1 `freesp -s` on a fresh 512 MiB XFS.</summary>
    public const string Fresh = """
           from      to extents  blocks    pct
              1       1      16      16   0.01
              4       7       1       6   0.01
           8192   16383       1   16374  14.28
          16384   32768       3   98260  85.70
        total free extents 21
        total free blocks 114656
        average free extent size 5459.81

        """;

    /// <summary>The same on a 320 MiB XFS after writing 20,000 4 KiB files and deleting every other one.</summary>
    public const string Fragmented = """
           from      to extents  blocks    pct
              1       1   10060   10060  68.63
             64     127       1     102   0.70
            128     255       1     145   0.99
            256     511       1     266   1.81
           2048    4095       1    4086  27.87
        total free extents 10064
        total free blocks 14659
        average free extent size 1.45658

        """;

    [Fact]
    public void An_average_free_extent_under_sixteen_blocks_raises_xfs_small_average_cluster_size()
    {
        var average = XfsFreeSpaceCheck.AverageExtentBlocks(Fragmented, "/dev/nvme1n1");
        var problem = XfsFreeSpaceCheck.Check("nvme1n1", "/var/lib/containerd", average);

        Assert.Equal(1.45658, average);
        Assert.Equal(("XFSSmallAverageClusterSize", "nvme1n1"), (problem?.Reason, problem?.Entity));
        Assert.Contains("1.46 blocks", problem!.Message);
    }

    [Fact]
    public void A_fresh_filesystem_is_healthy()
    {
        Assert.Null(XfsFreeSpaceCheck.Check("nvme1n1", "/", XfsFreeSpaceCheck.AverageExtentBlocks(Fresh, "/dev/nvme1n1")));
        Assert.Null(XfsFreeSpaceCheck.Check("nvme1n1", "/", 16));
    }

    [Theory]
    [InlineData("")]
    [InlineData("xfs_db: /dev/nvme1n1 is not a valid XFS filesystem (unexpected SB magic number 0x00000000)")]
    [InlineData("average free extent size lots")]
    public void Output_without_the_average_line_is_an_error_naming_the_device(string output)
    {
        var error = Assert.Throws<ProbeInputException>(() => XfsFreeSpaceCheck.AverageExtentBlocks(output, "/dev/nvme1n1"));
        Assert.Contains("/dev/nvme1n1", error.Message);
    }
}
