using System.Diagnostics;
using NodeHealth.Actors.Detection;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Tests.Detection;

/// <summary>Real kernel log lines (from EKS's documentation and real hosts) against the built-in catalog and operator rules.</summary>
public sealed class DetectionEngineTests
{
    private static readonly DetectionEngine Kernel = new(CatalogLoader.LoadBuiltIn(), "kmsg");

    [Theory]
    [InlineData("watchdog: BUG: soft lockup - CPU#6 stuck for 23s! [VM Thread:4054]", "SoftLockup", "CPU#6 stuck for 23s [VM Thread:4054]")]
    [InlineData("BUG: kernel NULL pointer dereference, address: 0000000000000008", "KernelOops", "BUG: kernel NULL pointer dereference, address: 0000000000000008")]
    [InlineData("BUG: scheduling while atomic: swapper/0/0/0x00000002", "KernelBug", "BUG: scheduling while atomic: swapper/0/0/0x00000002")]
    [InlineData("[T123] BUG: Bad rss-counter state mm:00000000b4ee7d6c type:MM_ANONPAGES val:1", "KernelBug", "BUG: Bad rss-counter state mm:00000000b4ee7d6c type:MM_ANONPAGES val:1")]
    [InlineData("kexec[896]: segfault at 0 ip 0000000000000000 sp 00007ffeaf0ff420 error 14 in dash[561ac3c57000+4000]", "AppCrash", "process kexec crashed")]
    [InlineData("traps: python3[2211] general protection fault ip:7f sp:7ffd error:0 in libc.so.6", "AppCrash", "process python3 crashed")]
    [InlineData("INFO: task jbd2/nvme0n1p1-8:321 blocked for more than 122 seconds.", "AppBlocked", "task jbd2/nvme0n1p1-8:321 blocked for more than 122 seconds")]
    [InlineData("nf_conntrack: nf_conntrack: table full, dropping packet", "ConntrackExceededKernel", "connection tracking table full, dropping packets")]
    [InlineData("ip_conntrack: table full, dropping packet", "ConntrackExceededKernel", "connection tracking table full, dropping packets")]
    public void Known_fault_line_is_detected_with_its_EKS_reason_line_and_count(string line, string reason, string message)
    {
        var detection = Assert.Single(EngineRun.Lines(new DetectionEngine(CatalogLoader.LoadBuiltIn(), "kmsg"), "EXT4-fs (vda1): mounted filesystem", line),
            d => d.Rule.Condition == ConditionType.KernelReady);

        Assert.Equal((reason, message, 2L, 1, EngineRun.T0.AddMilliseconds(1)), (detection.Rule.Reason, detection.Message, detection.Line, detection.Count, detection.At));
    }

    [Fact]
    public void Soft_lockup_takes_precedence_over_kernel_bug_on_the_same_line()
    {
        var detection = Assert.Single(EngineRun.Lines(Kernel, "watchdog: BUG: soft lockup - CPU#1 stuck for 23s! [stress:1234]"));

        Assert.Equal("SoftLockup", detection.Rule.Reason);
    }

    [Fact]
    public void Operator_rule_placed_before_a_built_in_one_takes_the_line()
    {
        var catalog = CatalogLoader.Parse("ops.yaml", """
            conditions:
              - type: KernelReady
                reasons:
                  - reason: RssCounterCorruption
                    severity: Warning
                    source: kmsg
                    match: 'BUG: Bad rss-counter state mm:(?<mm>[0-9a-f]+)'
                    message: 'rss counter of mm {mm} is wrong'
                    before: KernelBug
            """);
        var line = "BUG: Bad rss-counter state mm:00000000b4ee7d6c type:MM_ANONPAGES val:1";

        var detection = Assert.Single(EngineRun.Lines(new DetectionEngine(catalog, "kmsg"), line));

        Assert.Equal(("RssCounterCorruption", "rss counter of mm 00000000b4ee7d6c is wrong"), (detection.Rule.Reason, detection.Message));
        Assert.Equal("KernelBug", Assert.Single(EngineRun.Lines(Kernel, line)).Rule.Reason); // Without it, the built-in rule.
    }

    [Fact]
    public void One_line_yields_one_detection_for_each_condition_whose_rules_match_it()
    {
        var catalog = CatalogLoader.Parse("ops.yaml", """
            conditions:
              - type: NetworkingReady
                reasons:
                  - { reason: ConntrackFull, severity: Warning, source: kmsg, match: 'nf_conntrack: table full', literals: ['table full'] }
                  - { reason: PacketsDropped, severity: Warning, source: kmsg, match: 'dropping packet', literals: ['dropping'] }
            """);

        var detections = EngineRun.Lines(new DetectionEngine(catalog, "kmsg"), "nf_conntrack: nf_conntrack: table full, dropping packet");

        Assert.Equal([(ConditionType.KernelReady, "ConntrackExceededKernel"), (ConditionType.NetworkingReady, "ConntrackFull")],
            detections.Select(d => (d.Rule.Condition, d.Rule.Reason)).Order());
    }

    [Fact]
    public void Every_candidate_rule_of_a_line_is_found_not_only_the_first_literal()
    {
        var catalog = CatalogLoader.Parse("ops.yaml", """
            conditions:
              - type: KernelReady
                reasons:
                  - { reason: NeverMatches, severity: Warning, source: kmsg, match: 'Oops: never', literals: ['Oops'], before: SoftLockup }
              - type: StorageReady
                reasons:
                  - { reason: LateLiteral, severity: Warning, source: kmsg, match: 'stuck for (?<s>\d+)s', literals: ['stuck for'] }
            """);

        var detections = EngineRun.Lines(new DetectionEngine(catalog, "kmsg"), "Oops watchdog: BUG: soft lockup - CPU#1 stuck for 23s! [stress:1234]");

        Assert.Equal(["LateLiteral", "SoftLockup"], detections.Select(d => d.Rule.Reason).Order());
    }

    [Fact]
    public void Entity_template_names_what_the_finding_is_about()
    {
        var catalog = CatalogLoader.Parse("ops.yaml", """
            conditions:
              - type: StorageReady
                reasons:
                  - reason: DiskIOError
                    severity: Warning
                    source: kmsg
                    match: 'I/O error, dev (?<device>\w+), sector (?<sector>\d+)'
                    literals: ['I/O error, dev ']
                    entity: '{device}'
            """);

        var detection = Assert.Single(EngineRun.Lines(new DetectionEngine(catalog, "kmsg"), "blk_update_request: I/O error, dev nvme1n1, sector 2048 op 0x1:(WRITE) flags 0x800 phys_seg 1 prio class 0"));

        Assert.Equal("nvme1n1", detection.Entity);
    }

    [Theory]
    [InlineData("e1000e: eth0 NIC Link is Up 1000 Mbps Full Duplex")]
    [InlineData("EXT4-fs (nvme0n1p1): mounted filesystem with ordered data mode")]
    [InlineData("audit: type=1400 audit(1700000000.000:2): apparmor=\"STATUS\"")]
    [InlineData("Spectre V2 : Mitigation: Retpolines")]
    [InlineData("")]
    [InlineData("\0\0\0\u0001\u00ff\uFFFD\uFFFD binary \u001b[31m garbage")]
    public void Ordinary_or_odd_line_yields_nothing(string line)
    {
        Assert.Empty(EngineRun.Lines(Kernel, line));
    }

    [Fact]
    public void Huge_line_is_detected_with_a_bounded_message()
    {
        var detection = Assert.Single(EngineRun.Lines(Kernel, "BUG: " + new string('x', 1_000_000)));

        Assert.Equal("KernelBug", detection.Rule.Reason);
        Assert.Equal(1024, detection.Message.Length);
    }

    [Fact]
    public void Replacement_characters_from_invalid_utf8_do_not_break_matching()
    {
        var detection = Assert.Single(EngineRun.Lines(Kernel, "watchdog: BUG: soft lockup - CPU#2 stuck for 40s! [\uFFFD\uFFFDworker:7]"));

        Assert.Equal("SoftLockup", detection.Rule.Reason);
    }

    [Fact]
    public void Backtracking_operator_regex_on_a_1_MiB_line_gives_up_in_bounded_time_and_other_rules_still_run()
    {
        var catalog = CatalogLoader.Parse("ops.yaml", """
            conditions:
              - type: KernelReady
                reasons:
                  - { reason: Catastrophic, severity: Warning, source: kmsg, match: '(x+x+)+y', before: SoftLockup }
            """);
        var engine = new DetectionEngine(catalog, "kmsg");
        var line = "watchdog: BUG: soft lockup - CPU#2 stuck for 40s! [x:7] " + new string('x', 1024 * 1024);

        var clock = Stopwatch.StartNew();
        var detections = EngineRun.Lines(engine, line, line);
        clock.Stop();

        Assert.Equal(["SoftLockup", "SoftLockup"], detections.Select(d => d.Rule.Reason));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"two 1 MiB lines took {clock.Elapsed}");
    }

    [Fact]
    public void Occurrence_threshold_is_timed_by_the_lines_and_keyed_by_entity()
    {
        var catalog = CatalogLoader.Parse("ops.yaml", """
            conditions:
              - type: NetworkingReady
                reasons:
                  - { reason: LinkFlap, severity: Warning, source: kmsg, match: '(?<dev>\w+): Link is Down', literals: ['Link is Down'], entity: '{dev}', occurrences: 3, window: 1m, before: InterfaceFlapping }
            """);
        var engine = new DetectionEngine(catalog, "kmsg");
        var output = new List<NodeHealth.Actors.Detection.Detection>();

        engine.Feed("ena 0000:00:05.0 eth0: Link is Down", EngineRun.T0, 1, output);
        engine.Feed("ena 0000:00:06.0 eth1: Link is Down", EngineRun.T0.AddSeconds(1), 2, output);
        engine.Feed("ena 0000:00:05.0 eth0: Link is Down", EngineRun.T0.AddSeconds(2), 3, output);
        engine.Feed("ena 0000:00:05.0 eth0: Link is Down", EngineRun.T0.AddMinutes(5), 4, output); // The first two are too old.
        engine.Feed("ena 0000:00:05.0 eth0: Link is Down", EngineRun.T0.AddMinutes(5).AddSeconds(1), 5, output);
        Assert.Empty(output);
        engine.Feed("ena 0000:00:05.0 eth0: Link is Down", EngineRun.T0.AddMinutes(5).AddSeconds(2), 6, output);

        var detection = Assert.Single(output);
        Assert.Equal(("eth0", 6L), (detection.Entity, detection.Line));
    }
}
