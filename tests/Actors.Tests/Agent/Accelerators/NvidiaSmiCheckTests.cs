using NodeHealth.Actors.Agent.Accelerators;
using NodeHealth.Actors.Agent.Probes;
using static NodeHealth.Actors.Tests.Agent.Accelerators.RecordedOutputs;

namespace NodeHealth.Actors.Tests.Agent.Accelerators;

public sealed class NvidiaSmiCheckTests
{
    private const string H100Gpu0 = "0000:53:00/GPU-3d1e9a8a-0b7c-5b0e-9f0d-1f5c2f3b7a01"; // Entity: the bus id and UUID of its nvidia-smi row.
    private const string H100Gpu1 = "0000:64:00/GPU-7b2f0c1d-4e3a-2c5d-8e6f-2a4b6c8d0e02";
    private const string V100Gpu1 = "0000:00:1f/GPU-1c2d3e4f-5a6b-7c8d-9e0f-1a2b3c4d5e6f";

    private static IReadOnlyList<ProbeFailure> Check(string gpus, string remapped = "", string nvlinks = "", IReadOnlyList<string>? onBus = null, int expected = 0)
    {
        var (rows, unreachable) = NvidiaSmiCheck.ParseGpus(gpus);
        return NvidiaSmiCheck.Failures(rows, unreachable, NvidiaSmiCheck.ParseRemappedRows(remapped), NvidiaSmiCheck.ParseNvLinks(nvlinks),
            onBus ?? [.. rows.Select(r => r.BusId)], expected);
    }

    [Fact]
    public void Eight_healthy_gpus_pass_every_check()
    {
        Assert.Empty(Check(EightHealthyGpus, RemappedRowsHealthy, NvLinkAllUp, EightBusIds, expected: 8));
    }

    [Fact]
    public void Bus_ids_take_the_form_nvrm_prints_in_xid_lines()
    {
        var (rows, _) = NvidiaSmiCheck.ParseGpus(EightHealthyGpus);

        Assert.Equal(EightBusIds, rows.Select(r => r.BusId));
        Assert.Equal("0000:3b:00", NvidiaSmiCheck.BusId("00000000:3B:00.0"));
    }

    [Fact]
    public void Volatile_double_bit_errors_raise_NvidiaDoubleBitError_for_that_gpu_and_a_pending_page_NvidiaPageRetirement()
    {
        var failures = Check(TwoV100sOneWithDoubleBitErrors);

        Assert.Equal([("NvidiaDoubleBitError", V100Gpu1), ("NvidiaPageRetirement", V100Gpu1)], failures.Select(f => (f.Reason, f.Entity!)));
        Assert.Contains("2 uncorrectable (double-bit) ECC error(s)", failures[0].Message);
        Assert.Contains("GPU-1c2d3e4f-5a6b-7c8d-9e0f-1a2b3c4d5e6f", failures[0].Message);
    }

    [Fact]
    public void Pending_and_failed_row_remapping_raise_NvidiaPageRetirement_per_gpu()
    {
        var failures = Check(EightHealthyGpus, RemappedRowsPendingAndFailed, onBus: EightBusIds);

        Assert.Equal([("NvidiaPageRetirement", H100Gpu0), ("NvidiaPageRetirement", H100Gpu1)], failures.Select(f => (f.Reason, f.Entity!)));
        Assert.Contains("row remappings pending", failures[0].Message);
        Assert.Contains("row remapping failure", failures[1].Message);
    }

    [Fact]
    public void A_gpu_on_the_pci_bus_that_nvidia_smi_cannot_reach_is_NvidiaDeviceCountMismatch_naming_it()
    {
        var failure = Assert.Single(Check(SevenGpusAndOneUnreachable, onBus: EightBusIds, expected: 8));

        Assert.Equal(("NvidiaDeviceCountMismatch", (string?)null), (failure.Reason, failure.Entity));
        Assert.Equal("nvidia-smi answers for 7 of the 8 NVIDIA GPUs; not for 0000:86:00", failure.Message);
    }

    [Fact]
    public void Fewer_gpus_in_the_pci_list_than_expected_is_NvidiaDeviceCountMismatch()
    {
        var failure = Assert.Single(Check(EightHealthyGpus, onBus: EightBusIds[..7], expected: 8));

        Assert.Equal("7 of the 8 expected NVIDIA GPUs are in the PCI device list", failure.Message);
        Assert.Null(NvidiaSmiCheck.BusCountFailure(EightBusIds, 8));
        Assert.Null(NvidiaSmiCheck.BusCountFailure(EightBusIds[..1], 0)); // Nothing expected: the PCI list is the expectation.
    }

    [Fact]
    public void An_inactive_link_while_other_links_are_up_is_NvidiaNVLinkError_for_that_gpu()
    {
        var failure = Assert.Single(Check(EightHealthyGpus, nvlinks: NvLinkOneDown, onBus: EightBusIds));

        Assert.Equal(("NvidiaNVLinkError", H100Gpu1), (failure.Reason, failure.Entity!));
        Assert.Equal("GPU 0000:64:00: NVLink link 2 of 4 is down while other NVLinks on the node are up", failure.Message);
    }

    [Fact]
    public void Pcie_cards_whose_links_are_all_inactive_do_not_use_nvlink_and_pass()
    {
        Assert.Empty(Check(TwoV100sOneWithDoubleBitErrors.Replace(", 2, Yes", ", 0, No"), nvlinks: NvLinkPcieCardsUnbridged));
    }

    [Theory]
    [InlineData("")]
    [InlineData(NoDriver)]
    [InlineData("0, 00000000:53:00.0\n,,,,\nGPU 0: garbage\n\0\0\0")]
    public void Output_that_holds_no_gpu_rows_parses_to_none(string output)
    {
        var (rows, unreachable) = NvidiaSmiCheck.ParseGpus(output);

        Assert.Empty(rows);
        Assert.Empty(unreachable);
    }
}
