using NodeHealth.Actors.Agent.Accelerators;
using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Actors.Detection;
using NodeHealth.Actors.Detection.Accelerators;
using NodeHealth.Actors.Tests.Detection;
using NodeHealth.Contracts.Catalog;
using static NodeHealth.Actors.Tests.Agent.Accelerators.RecordedOutputs;
using Detected = NodeHealth.Actors.Detection.Detection;

namespace NodeHealth.Actors.Tests.Agent.Accelerators;

/// <summary>
/// One GPU, one name: the kernel log and nvidia-smi (recorded outputs) share the agent's <see cref="GpuIdentities"/>, so
/// a GPU's findings carry the same entity whichever source saw it first, and what counts per GPU holds while its UUID
/// becomes known.
/// </summary>
public sealed class GpuNamingTests
{
    private const string V100Gpu1 = "0000:00:1f/GPU-1c2d3e4f-5a6b-7c8d-9e0f-1a2b3c4d5e6f"; // nvidia-smi prints it as 00000000:00:1F.0.
    private const string Xid79 = "NVRM: Xid (PCI:0000:00:1f): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus.";
    private const string Xid45 = "NVRM: Xid (PCI:0000:00:1f): 45, pid=2041, name=python3, Ch 00000010";
    private const string DriverNamesIt = "NVRM: GPU at PCI:0000:00:1f: GPU-1c2d3e4f-5a6b-7c8d-9e0f-1a2b3c4d5e6f";
    private static readonly ReasonCatalog Catalog = CatalogLoader.LoadBuiltIn();

    private static DetectionEngine Kmsg(GpuIdentities gpus) => new(Catalog, "kmsg", new DetectionOptions { Gpus = gpus });

    private static IReadOnlyList<ProbeFailure> NvidiaSmi(GpuIdentities gpus, string output)
    {
        var (rows, unreachable) = NvidiaSmiCheck.ParseGpus(output);
        return NvidiaSmiCheck.Failures(rows, unreachable, [], [], [.. rows.Select(r => r.BusId)], 0, NvidiaSmiCheck.Teach(gpus, rows));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_same_gpu_has_the_same_entity_from_the_kernel_log_and_from_nvidia_smi_in_either_order(bool nvidiaSmiFirst)
    {
        var gpus = new GpuIdentities();
        var kernel = Kmsg(gpus);
        IReadOnlyList<ProbeFailure> smi = [];
        if (nvidiaSmiFirst)
            smi = NvidiaSmi(gpus, TwoV100sOneWithDoubleBitErrors);
        var xid = Assert.Single(EngineRun.Lines(kernel, nvidiaSmiFirst ? [Xid79] : [DriverNamesIt, Xid79]));
        if (!nvidiaSmiFirst)
            smi = NvidiaSmi(gpus, TwoV100sOneWithDoubleBitErrors);

        Assert.Equal(("NvidiaXID79Error", V100Gpu1), (xid.Rule.Reason, xid.Entity));
        Assert.Equal([("NvidiaDoubleBitError", V100Gpu1), ("NvidiaPageRetirement", V100Gpu1)], smi.Select(f => (f.Reason, f.Entity)));
    }

    [Fact]
    public void A_uuid_dcgm_listed_names_the_kernel_logs_findings_too()
    {
        var gpus = new GpuIdentities();
        foreach (var gpu in DcgmEntities.Parse(DcgmDiscoveryEightGpusFourSwitches)!.All.Where(e => e.Uuid is not null))
            gpus.Learn(gpu.BusId!, gpu.Uuid!);

        var xid = Assert.Single(EngineRun.Lines(Kmsg(gpus), "NVRM: Xid (PCI:0000:53:00): 79, pid=1, name=x, GPU has fallen off the bus."));

        Assert.Equal("0000:53:00/GPU-3d1e9a8a-0b7c-5b0e-9f0d-1f5c2f3b7a01", xid.Entity);
    }

    [Fact]
    public void Before_its_uuid_is_known_a_gpu_is_named_by_bus_id_and_its_rate_limit_holds_when_the_uuid_arrives()
    {
        var gpus = new GpuIdentities();
        var kernel = Kmsg(gpus);
        var output = new List<Detected>();
        var at = EngineRun.T0;
        kernel.Feed(Xid45, at, 1, output);
        NvidiaSmi(gpus, TwoV100sOneWithDoubleBitErrors); // Its first poll tells the UUID.
        for (var line = 2; line <= 4; line++)
            kernel.Feed(Xid45, at.AddMinutes(line), line, output);
        kernel.Flush(DateTime.MaxValue, output);

        // XID 45 passes once per GPU in ten minutes: the three later lines fold into one finding, not a second window.
        Assert.Equal([("0000:00:1f", 1), (V100Gpu1, 3)], output.Select(d => (d.Entity, d.Count)));
        Assert.All(output, d => Assert.Equal("NvidiaXID45Warning", d.Rule.Reason));
    }

    [Fact]
    public void A_probe_fault_raised_under_the_bus_id_alone_is_not_raised_again_with_its_uuid_and_clears_under_its_latest_name()
    {
        var verdicts = new ProbeVerdicts("nvidia-smi", Catalog.RulesFor("probe-nvidia-smi"));
        ProbeFailure DoubleBit(string entity) => new(NvidiaSmiCheck.DoubleBitError, entity, "2 uncorrectable ECC errors");

        Assert.Equal(["0000:00:1f"], verdicts.Observe([DoubleBit("0000:00:1f")], EngineRun.T0).Raised.Select(f => f.Entity));
        var renamed = verdicts.Observe([DoubleBit(V100Gpu1)], EngineRun.T0.AddMinutes(1));
        var cleared = verdicts.Observe([], EngineRun.T0.AddMinutes(2));

        Assert.True(renamed.IsEmpty);
        Assert.Equal((NvidiaSmiCheck.DoubleBitError, V100Gpu1), (Assert.Single(cleared.Recovered).Reason, cleared.Recovered[0].Entity));
    }

    [Theory]
    [InlineData("00000000:3B:00.0", "0000:3b:00")]
    [InlineData("0000:3b:00.0", "0000:3b:00")]
    [InlineData("0000:3B:00", "0000:3b:00")]
    public void Bus_ids_in_any_tools_form_name_one_gpu(string pci, string bus)
    {
        var gpus = new GpuIdentities();
        gpus.Learn("00000000:3B:00.0", "GPU-5F3C2A1B-8D4E-4F6A-9B7C-1E2D3F4A5B6C");

        Assert.Equal(bus + "/GPU-5f3c2a1b-8d4e-4f6a-9b7c-1e2d3f4a5b6c", gpus.Name(pci));
        Assert.Equal(bus, GpuIdentities.KeyOf(gpus.Name(pci)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("eth0")]
    [InlineData("/mnt/GPU-5f3c2a1b-8d4e-4f6a-9b7c-1e2d3f4a5b6c/scratch-volume")]
    [InlineData("GPU 0")]
    public void Only_a_gpu_entity_loses_its_uuid_for_its_key(string? entity)
    {
        Assert.Equal(entity, GpuIdentities.KeyOf(entity));
    }

    [Fact]
    public void Text_that_is_not_a_uuid_teaches_nothing()
    {
        var gpus = new GpuIdentities();
        gpus.Learn("00000000:3B:00.0", "[N/A]");

        Assert.Equal(("0000:3b:00", 0), (gpus.Name("0000:3b:00"), gpus.KnownGpus));
    }
}
