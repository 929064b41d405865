using System.Diagnostics;
using NodeHealth.Actors.Detection;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;
using Detected = NodeHealth.Actors.Detection.Detection;

namespace NodeHealth.Actors.Tests.Detection.Accelerators;

/// <summary>The built-in kernel-log accelerator rules (accelerator.yaml, first section) on the kmsg engine.</summary>
public sealed class KernelLogAcceleratorTests
{
    private const ConditionType Gpu = ConditionType.AcceleratedHardwareReady;
    private static readonly ReasonCatalog Catalog = CatalogLoader.LoadBuiltIn();

    private static List<Detected> Kmsg(params string[] lines) => EngineRun.Lines(new DetectionEngine(Catalog, "kmsg"), lines);

    [Fact]
    public void The_default_fatal_XID_list_is_EKSs_at_HEAD_plus_154_when_the_driver_asks_for_a_reset()
    {
        var family = Catalog.Rule(Gpu, "NvidiaXID{xid}Error")!.Family!;

        Assert.Equal([46, 48, 54, 62, 63, 64, 74, 79, 95, 109, 110, 119, 120, 136, 140, 142, 143, 151, 154, 155, 156, 158], family.Values.Keys.Select(int.Parse).Order());
    }

    [Theory]
    [InlineData("48 63 64 95 46 62 109 110 136 143 151 154 155 156 158", RepairAction.Reboot)]
    [InlineData("74 79 119 120 140 54 142", RepairAction.Replace)]
    public void Each_fatal_XID_carries_its_default_repair(string xids, RepairAction repair)
    {
        foreach (var xid in xids.Split(' '))
        {
            var rule = Catalog.Rule(Gpu, $"NvidiaXID{xid}Error")!;
            Assert.Equal((Severity.Fatal, RecoveryMode.Reboot, repair), (rule.Severity, rule.Recovery, rule.Repair));
        }
    }

    [Fact]
    public void An_XID_off_the_fatal_list_is_a_warning_and_no_XID_is_both()
    {
        Assert.Equal(Severity.Warning, Catalog.Rule(Gpu, "NvidiaXID13Warning")!.Severity);
        Assert.Null(Catalog.Rule(Gpu, "NvidiaXID13Error"));
        Assert.Single(Kmsg("NVRM: Xid (PCI:0000:3b:00): 13, pid=1, name=python3, Graphics Exception"), d => d.Rule.Reason == "NvidiaXID13Warning");
    }

    [Fact]
    public void An_operator_file_changes_the_fatal_XID_list_without_code_as_the_README_shows()
    {
        var catalog = CatalogLoader.Parse("ops.yaml", """
            conditions:
              - type: AcceleratedHardwareReady
                reasons:
                  - { reason: NvidiaXID43Error, repair: Reboot }   # XID 43 becomes fatal
                  - { reason: NvidiaXID63Error, disabled: true }   # XID 63 only warns
                  - { reason: NvidiaXID79Error, repair: Reboot }   # reboot instead of replace
            """);

        var found = EngineRun.Lines(new DetectionEngine(catalog, "kmsg"),
            "NVRM: Xid (PCI:0000:3b:00): 43, pid=5172, name=python3, Ch 00000010",
            "NVRM: Xid (PCI:0000:18:00): 63, pid=2541, name=python, Row Remapper: New row (0x000000007fffd620) marked for remapping, reset gpu to activate.");

        Assert.Equal(["NvidiaXID43Error", "NvidiaXID63Warning"], found.Select(d => d.Rule.Reason));
        Assert.Equal((Severity.Fatal, RepairAction.Reboot), (found[0].Rule.Severity, found[0].Rule.Repair));
        Assert.Equal(RepairAction.Reboot, catalog.Rule(Gpu, "NvidiaXID79Error")!.Repair);
        Assert.Null(catalog.Rule(Gpu, "NvidiaXID63Error"));
    }

    [Fact]
    public void Xid_79_line_names_the_GPU_by_bus_id_and_by_UUID_once_NVRM_has_told_it()
    {
        var found = Kmsg(
            "NVRM: Xid (PCI:0000:3b:00): 79, pid=1234, name=nv-hostengine, GPU has fallen off the bus.",
            "NVRM: GPU at PCI:0000:5e:00: GPU-5f3c2a1b-8d4e-4f6a-9b7c-1e2d3f4a5b6c",
            "NVRM: Xid (PCI:0000:5e:00): 79, pid=1234, name=nv-hostengine, GPU has fallen off the bus.");

        Assert.Equal(
            [("NvidiaXID79Error", "0000:3b:00"), ("NvidiaXID79Error", "0000:5e:00/GPU-5f3c2a1b-8d4e-4f6a-9b7c-1e2d3f4a5b6c")],
            found.Select(d => (d.Rule.Reason, d.Entity)));
        Assert.Equal("XID 79 on GPU 0000:3b:00: pid=1234, name=nv-hostengine, GPU has fallen off the bus.", found[0].Message);
        Assert.Equal((Severity.Fatal, RepairAction.Replace), (found[0].Rule.Severity, found[0].Rule.Repair));
    }

    [Fact]
    public void Fallen_off_the_bus_without_an_XID_is_XID_79_in_one_kmsg_record_or_three_lines()
    {
        var oneRecord = Kmsg("NVRM: The NVIDIA GPU 0000:b3:00.0\nNVRM: (PCI ID: 10de:26b5) installed in this system has\nNVRM: fallen off the bus and is not responding to commands.");
        var threeLines = Kmsg(
            "NVRM: The NVIDIA GPU 0000:b3:00.0",
            "NVRM: (PCI ID: 10de:26b5) installed in this system has",
            "NVRM: fallen off the bus and is not responding to commands.");

        foreach (var found in new[] { oneRecord, threeLines })
        {
            var detection = Assert.Single(found);
            Assert.Equal(("NvidiaXID79Error", "0000:b3:00"), (detection.Rule.Reason, detection.Entity));
            Assert.StartsWith("XID 79 on GPU 0000:b3:00: fallen off the bus", detection.Message);
        }
    }

    [Fact]
    public void A_fallen_off_line_long_after_NVRM_named_a_GPU_does_not_guess_which()
    {
        string[] lines = ["NVRM: The NVIDIA GPU 0000:b3:00.0", .. Enumerable.Repeat("eth0: link up", 10), "NVRM: fallen off the bus and is not responding to commands."];

        var detection = Assert.Single(Kmsg(lines));

        Assert.Equal(("NvidiaXID79Error", null), (detection.Rule.Reason, detection.Entity));
    }

    [Fact]
    public void An_NCCL_segfault_is_two_findings_NvidiaNCCLError_and_AppCrash()
    {
        var found = Kmsg("pt_main_thread[2536443]: segfault at 7f797fe00000 ip 00007f7c7ac69996 sp 00007f7c12fd7c30 error 4 in libnccl.so.2[7f7c7ac00000+d3d3000]");

        Assert.Equal(
            [(ConditionType.KernelReady, "AppCrash"), (Gpu, "NvidiaNCCLError")],
            found.Select(d => (d.Rule.Condition, d.Rule.Reason)).Order());
    }

    [Fact]
    public void A_Neuron_error_names_its_device_when_the_drivers_line_does_and_none_when_it_does_not()
    {
        var found = Kmsg(
            "NEURON_HW_ERR=SRAM_UNCORRECTABLE_ERROR instance-id=i-0592464924bd45322 hostname=ip-172-31-61-252 nd-id=0 nc-id=0 serial-num=19fcda00f5ff6eb9 action=TERMINATE_INSTANCE",
            "NEURON_HW_ERR=HBM_UNCORRECTABLE_ERROR instance-id=i-0592464924bd45322 hostname=ip-172-31-61-252 nd-id=11 nc-id=3 serial-num=29fcda00f5ff6eb1 action=TERMINATE_INSTANCE",
            "kernel: NEURON_HW_ERR=DMA_ERROR affecting neuron devices");

        Assert.Equal(
            [("NeuronSRAMUncorrectableError", "neuron0"), ("NeuronHBMUncorrectableError", "neuron11"), ("NeuronDMAError", null)],
            found.Select(d => (d.Rule.Reason, d.Entity)));
        Assert.Contains("serial-num=19fcda00f5ff6eb9", found[0].Message); // The whole line: the serial number is what AWS support asks for.
    }

    [Fact]
    public void A_storm_of_XID_45_stays_cheap_and_folds_per_GPU()
    {
        var engine = new DetectionEngine(Catalog, "kmsg");
        var output = new List<Detected>();
        var start = new DateTime(2026, 11, 27, 10, 0, 0, DateTimeKind.Utc);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 20_000; i++) // 20,000 lines in an hour over 8 GPUs: a node where jobs are killed all day.
            engine.Feed($"NVRM: Xid (PCI:0000:{0x18 + i % 8:x2}:00): 45, pid={1000 + i}, name=python3, Ch 000000{i % 64:x2}", start.AddMilliseconds(i * 180), i + 1, output);
        engine.Flush(DateTime.MaxValue, output);
        clock.Stop();

        Assert.All(output, d => Assert.Equal("NvidiaXID45Warning", d.Rule.Reason));
        Assert.Equal(20_000, output.Sum(d => d.Count));
        Assert.Equal(8, output.Select(d => d.Entity).Distinct().Count());
        Assert.True(output.Count <= 8 * 2 * 7, $"{output.Count} findings for an hour of XID 45 (one per GPU every ten minutes, plus its fold)");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"20,000 lines took {clock.Elapsed}");
    }

    [Fact]
    public void GPU_memory_is_bounded()
    {
        var engine = new DetectionEngine(Catalog, "kmsg");
        var lines = Enumerable.Range(0, 1000).Select(i => $"NVRM: GPU at PCI:{i:x4}:3b:00: GPU-5f3c2a1b-8d4e-4f6a-9b7c-{i:x12}").ToList();
        lines.Add("NVRM: Xid (PCI:03e7:3b:00): 79, pid=1, name=x, GPU has fallen off the bus.");
        lines.Add("NVRM: Xid (PCI:0000:3b:00): 79, pid=1, name=x, GPU has fallen off the bus.");

        var found = EngineRun.Lines(engine, [.. lines]);

        // The latest GPUs are remembered; the first ones made room (a node never has 1000 GPUs: the log was hostile).
        Assert.Equal(["03e7:3b:00/GPU-5f3c2a1b-8d4e-4f6a-9b7c-0000000003e7", "0000:3b:00"], found.Select(d => d.Entity));
    }
}
