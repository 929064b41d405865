using NodeHealth.Actors.Agent.Accelerators;
using NodeHealth.Contracts;
using static NodeHealth.Actors.Tests.Agent.Accelerators.RecordedOutputs;

namespace NodeHealth.Actors.Tests.Agent.Accelerators;

/// <summary>`dcgmi discovery -l` read, pure, and DCGM's entities named by PCI bus id in health findings.</summary>
public sealed class DcgmDiscoveryTests
{
    [Fact]
    public void The_listing_maps_each_dcgm_gpu_id_to_its_bus_id_in_nvrm_form_and_uuid_and_lists_nvswitches_by_id()
    {
        var entities = DcgmEntities.Parse(DcgmDiscoveryEightGpusFourSwitches)!;

        Assert.Equal(12, entities.All.Count);
        Assert.Equal(EightBusIds, entities.All.Where(e => e.Group == "GPU").OrderBy(e => e.Id).Select(e => e.BusId!));
        Assert.Equal(new DcgmEntity("GPU", 5, "0000:a8:00", "GPU-4a8d5c6e-0f9b-8c13-d4e5-6e8f0a2b4c06"), entities.All.Single(e => e is { Group: "GPU", Id: 5 }));
        Assert.Equal([10, 11, 12, 13], entities.All.Where(e => e.Group == "Switch").Select(e => e.Id).Order());
        Assert.All(entities.All.Where(e => e.Group == "Switch"), s => Assert.Null(s.BusId));
    }

    [Theory]
    [InlineData("GPU 0", "0000:53:00/GPU-3d1e9a8a-0b7c-5b0e-9f0d-1f5c2f3b7a01")]
    [InlineData("GPU 7", "0000:ca:00/GPU-6c0f7e8a-2b1d-0e35-f6a7-8a0b2c4d6e08")]
    [InlineData("GPU 8", "GPU 8")]
    [InlineData("Switch 11", "Switch 11")]
    [InlineData("Memory system", "Memory system")]
    public void A_health_report_entity_is_named_by_bus_id_and_uuid_where_dcgm_listed_them(string dcgm, string named)
    {
        Assert.Equal(named, DcgmEntities.Parse(DcgmDiscoveryEightGpusFourSwitches)!.Name(dcgm));
    }

    [Fact]
    public void Health_findings_carry_the_gpus_bus_id_and_uuid_and_their_message_keeps_dcgms_id()
    {
        var entities = DcgmEntities.Parse(DcgmDiscoveryEightGpusFourSwitches);

        var failures = DcgmHealthCheck.Failures(DcgmHealthCheck.Parse(DcgmDoubleBitFailureAndReplayWarning)!, entities);

        Assert.Equal(
            [("DCGMHealthCode4", "0000:53:00/GPU-3d1e9a8a-0b7c-5b0e-9f0d-1f5c2f3b7a01", Severity.Fatal),
             ("DCGMHealthCode3", "0000:64:00/GPU-7b2f0c1d-4e3a-2c5d-8e6f-2a4b6c8d0e02", Severity.Warning)],
            failures.Select(f => (f.Reason, f.Entity!, f.Severity!.Value)));
        Assert.Equal("GPU 0 (0000:53:00) Memory system: Detected 2 volatile double-bit ECC error(s) in GPU 0.", failures[0].Message);
    }

    [Fact]
    public void An_nvswitch_dcgm_lists_without_a_bus_id_keeps_its_dcgm_name()
    {
        var failures = DcgmHealthCheck.Failures(DcgmHealthCheck.Parse(DcgmNvLinkAndSwitchAndUnknown)!, DcgmEntities.Parse(DcgmDiscoveryEightGpusFourSwitches));

        Assert.Equal(["0000:75:00/GPU-9c4a1e2f-6b5d-4e7f-a091-3b5c7d9e1f03", "Switch 0"], failures.Select(f => f.Entity!).Distinct());
    }

    [Fact]
    public void Other_widths_extra_groups_and_a_gpu_row_without_a_bus_id_are_tolerated()
    {
        var entities = DcgmEntities.Parse(DcgmDiscoveryNewerWithoutOneBusId)!;

        Assert.Equal("0000:07:00/GPU-0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e", entities.Name("GPU 0"));
        Assert.Equal("GPU 1", entities.Name("GPU 1"));
        Assert.True(entities.Lists("GPU 1"));
        Assert.False(entities.Lists("GPU 2"));
    }

    [Fact]
    public void The_unboxed_form_and_an_nvswitch_with_a_pci_id_are_read_too()
    {
        var entities = DcgmEntities.Parse("""
            1 GPU found.

            GPU ID: 0
            Name: Quadro RTX 5000
            PCI Bus ID: 00000000:3B:00.0
            Device UUID: GPU-9d3de631-3422-9bc2-c43e-5e9106c621f4

            1 NvSwitch found.
            +-----------+------------------------------+
            | Switch ID | Device Information           |
            +-----------+------------------------------+
            | 3         | PCI Bus ID: 00000000:05:00.0 |
            +-----------+------------------------------+
            """)!;

        Assert.Equal("0000:3b:00/GPU-9d3de631-3422-9bc2-c43e-5e9106c621f4", entities.Name("GPU 0"));
        Assert.Equal("0000:05:00", entities.Name("Switch 3"));
    }

    [Theory]
    [InlineData("PCI Bus ID: 3B:00")]
    [InlineData("PCI Bus ID: 00000000:3B:00.0; rm -rf /")]
    [InlineData("Device UUID: not-a-uuid")]
    public void A_malformed_bus_id_or_uuid_is_not_taken(string row)
    {
        var entities = DcgmEntities.Parse($"1 GPU found.\n| GPU ID | Device Information |\n| 0 | {row} |\n")!;

        Assert.Equal("GPU 0", entities.Name("GPU 0"));
    }

    [Theory]
    [InlineData(DcgmCannotConnect)]
    [InlineData(DcgmHealthy)]
    [InlineData("")]
    [InlineData("| a | b | c |\n|||\n")]
    public void Text_that_is_not_a_listing_is_null(string output)
    {
        Assert.Null(DcgmEntities.Parse(output));
    }

    [Fact]
    public void A_huge_listing_stays_bounded()
    {
        var rows = string.Concat(Enumerable.Range(0, 5000).Select(i => $"| {i} | PCI Bus ID: 00000000:{i % 256:X2}:00.0 |\n"));

        Assert.True(DcgmEntities.Parse("5000 GPUs found.\n| GPU ID | Device Information |\n" + rows)!.All.Count <= DcgmEntities.MaxEntities);
    }
}
