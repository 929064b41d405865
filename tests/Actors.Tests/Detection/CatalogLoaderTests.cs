using NodeHealth.Actors.Detection;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Tests.Detection;

public sealed class CatalogLoaderTests
{
    [Theory]
    [InlineData(ConditionType.KernelReady, "SoftLockup KernelBug AppCrash AppBlocked ConntrackExceededKernel ForkFailedOutOfPIDs ApproachingMaxOpenFiles ApproachingKernelPidMax ExcessiveZombieProcesses LargeEnvironment RapidCron ZramHighUsage ClockUnsynchronized")]
    [InlineData(ConditionType.StorageReady, "EtcHostsMountFailed KubeletDiskUsageSlow BlockDeviceIOError XFSSmallAverageClusterSize IODelays EBSVolumeIOPSExceeded EBSVolumeThroughputExceeded EBSInstanceIOPSExceeded EBSInstanceThroughputExceeded")]
    [InlineData(ConditionType.NetworkingReady, "IPAMDNotReady IPAMDRepeatedlyRestart IPAMDNoIPs InterfaceNotUp InterfaceNotRunning MissingLoopbackInterface KubeProxyNotReady NetworkSysctl UnexpectedRejectRule PortConflict BandwidthInExceeded BandwidthOutExceeded PPSExceeded ConntrackExceeded LinkLocalExceeded EFAErrorMetric NPABPFRecoveryError")]
    public void Built_in_catalog_has_the_EKS_reasons_byte_for_byte_with_their_EKS_severity(ConditionType condition, string eksReasons)
    {
        var catalog = CatalogLoader.LoadBuiltIn();
        string[] fatal = ["ForkFailedOutOfPIDs", "IPAMDNotReady", "InterfaceNotUp", "InterfaceNotRunning", "MissingLoopbackInterface"];

        foreach (var reason in eksReasons.Split(' '))
        {
            var rule = catalog.Rule(condition, reason);
            Assert.True(rule is not null, $"{condition}/{reason} is missing");
            Assert.Equal(fatal.Contains(reason) ? Severity.Fatal : Severity.Warning, rule.Severity);
        }
    }

    [Fact]
    public void Built_in_catalog_defines_every_condition_with_its_EKS_ready_reason()
    {
        var ready = CatalogLoader.LoadBuiltIn().Conditions.ToDictionary(c => c.Type, c => c.ReadyReason);

        Assert.Equal("KernelIsReady", ready[ConditionType.KernelReady]);
        Assert.Equal("DiskIsReady", ready[ConditionType.StorageReady]);
        Assert.Equal("NetworkingIsReady", ready[ConditionType.NetworkingReady]);
        Assert.Equal("ContainerRuntimeIsReady", ready[ConditionType.ContainerRuntimeReady]);
        Assert.Equal("NvidiaGPUIsReady", ready[ConditionType.AcceleratedHardwareReady]);
    }

    [Fact]
    public void A_new_source_is_added_by_data_and_a_reason_without_match_is_left_to_its_monitors_check()
    {
        var catalog = CatalogLoader.Parse("gpu.yaml", """
            conditions:
              - type: AcceleratedHardwareReady
                reasons:
                  - { reason: GpuFanStalled, severity: Fatal, source: dcgm, recovery: reboot, repair: Replace }
                  - { reason: GpuNote, severity: Info, source: nvidia-smi-log, match: 'note (?<what>.+)', message: '{what}' }
            """);

        var xid = catalog.Rule(ConditionType.AcceleratedHardwareReady, "GpuFanStalled")!;
        Assert.Equal(("dcgm", "", RepairAction.Replace), (xid.Source, xid.Match, xid.Repair));
        Assert.Equal(0, new DetectionEngine(catalog, "dcgm").RuleCount);
        Assert.Equal("x", Assert.Single(EngineRun.Lines(new DetectionEngine(catalog, "nvidia-smi-log"), "GPU note x")).Message);
    }

    [Fact]
    public void Operator_file_adds_a_reason_and_overrides_one_with_the_same_name()
    {
        var catalog = CatalogLoader.Parse("ops.yaml", """
            conditions:
              - type: KernelReady
                reasons:
                  - reason: SoftLockup
                    severity: Fatal
                    source: kmsg
                    match: 'soft lockup'
                    recovery: reboot
                    repair: Reboot
                  - reason: FlappingLink
                    severity: Fatal
                    source: kmsg
                    match: 'link flapped'
                    recovery: quiet
                    quietFor: 30m
                  - reason: OutOfMemoryKill
                    severity: Warning
                    source: kmsg
                    match: 'Out of memory: Killed process (?<pid>\d+)'
                    message: 'killed {pid}'
                    occurrences: 3
                    window: 10m
            """);

        var softLockup = Assert.Single(catalog.Rules, r => r.Reason == "SoftLockup");
        Assert.Equal(Severity.Fatal, softLockup.Severity);
        Assert.Equal(RecoveryMode.Reboot, softLockup.Recovery);
        Assert.Equal("ops.yaml", softLockup.Origin);
        var flapping = Assert.Single(catalog.Rules, r => r.Reason == "FlappingLink");
        Assert.Equal((RecoveryMode.Quiet, TimeSpan.FromMinutes(30)), (flapping.Recovery, flapping.QuietFor));
        var oom = Assert.Single(catalog.Rules, r => r.Reason == "OutOfMemoryKill");
        Assert.Equal(new OccurrenceThreshold(3, TimeSpan.FromMinutes(10)), oom.Threshold);
        Assert.Equal(0, catalog.Rules.ToList().IndexOf(softLockup)); // Keeps its precedence.
    }

    [Fact]
    public void Built_in_catalog_is_one_file_per_subsystem_and_every_rule_with_match_has_literals()
    {
        var catalog = CatalogLoader.LoadBuiltIn();

        Assert.Equal(["kernel.yaml", "storage.yaml", "networking.yaml", "container-runtime.yaml", "accelerator.yaml"], CatalogLoader.BuiltInFiles);
        Assert.All(catalog.Rules.Where(r => r.Match.Length > 0), r => Assert.NotEmpty(r.Literals));
        Assert.Equal(["BUG: "], catalog.Rule(ConditionType.KernelReady, "SoftLockup")!.Literals.AsEnumerable());
        Assert.Equal("kernel.yaml", catalog.Rule(ConditionType.KernelReady, "SoftLockup")!.Origin);
    }

    [Fact]
    public void Operator_override_changes_only_the_keys_it_gives()
    {
        var catalog = CatalogLoader.Parse("ops.yaml", """
            conditions:
              - type: KernelReady
                reasons:
                  - { reason: AppBlocked, severity: Fatal, recovery: quiet, quietFor: 30m, repair: Reboot, rateLimit: 5/1m }
            """);

        var rule = catalog.Rule(ConditionType.KernelReady, "AppBlocked")!;
        var builtIn = CatalogLoader.LoadBuiltIn().Rule(ConditionType.KernelReady, "AppBlocked")!;
        Assert.Equal((Severity.Fatal, RecoveryMode.Quiet, TimeSpan.FromMinutes(30), RepairAction.Reboot), (rule.Severity, rule.Recovery, rule.QuietFor, rule.Repair));
        Assert.Equal(new RateLimit(5, TimeSpan.FromMinutes(1)), rule.RateLimit);
        Assert.Equal((builtIn.Source, builtIn.Match, builtIn.MessageTemplate, builtIn.Description), (rule.Source, rule.Match, rule.MessageTemplate, rule.Description));
        Assert.Equal(builtIn.Literals.AsEnumerable(), rule.Literals.AsEnumerable());
        Assert.Equal("ops.yaml", rule.Origin);
    }

    [Fact]
    public void Operator_file_disables_a_reason_and_places_its_own_rule_before_a_built_in_one()
    {
        var catalog = CatalogLoader.Parse("ops.yaml", """
            conditions:
              - type: KernelReady
                reasons:
                  - { reason: AppCrash, disabled: true }
                  - reason: BadRamBug
                    severity: Warning
                    source: kmsg
                    match: 'BUG: Bad page state in process (?<process>\S+)'
                    entity: '{process}'
                    before: KernelBug
            """);

        var kernel = catalog.Rules.Where(r => r.Condition == ConditionType.KernelReady).Select(r => r.Reason);
        var order = kernel.ToList();
        Assert.DoesNotContain("AppCrash", order);
        Assert.Equal(order.IndexOf("KernelBug") - 1, order.IndexOf("BadRamBug"));
        Assert.Equal("{process}", catalog.Rule(ConditionType.KernelReady, "BadRamBug")!.Entity);
        Assert.Empty(catalog.Rule(ConditionType.KernelReady, "BadRamBug")!.Literals); // Optional for operators.
    }

    [Fact]
    public void Block_and_trigger_keys_are_read()
    {
        var catalog = CatalogLoader.Parse("ops.yaml", """
            conditions:
              - type: KernelReady
                reasons:
                  - reason: KernelOopsLocal
                    severity: Warning
                    source: kmsg
                    match: 'Oops: '
                    literals: ['Oops: ']
                    block: { until: '---\[ end trace', maxLines: 60 }
                    trigger: 'kmsg: an Oops with its call trace'
            """);

        var rule = catalog.Rule(ConditionType.KernelReady, "KernelOopsLocal")!;
        Assert.Equal(new BlockRule(@"---\[ end trace", 60), rule.Block);
        Assert.Equal("kmsg: an Oops with its call trace", rule.Trigger);
    }

    [Theory]
    [InlineData("      - { reason: Gone, disabled: true }", "line 4: KernelReady/Gone: disables a reason no earlier file defines")]
    [InlineData("      - { reason: New, severity: Warning, source: kmsg, match: x, before: Nowhere }", "line 4: KernelReady/New: before names Nowhere")]
    [InlineData("      - { reason: New, severity: Warning, source: kmsg, match: x, before: New }", "before names the reason itself")]
    [InlineData("      - { reason: New, severity: Warning, source: kmsg, literals: [x] }", "literals need match")]
    [InlineData("      - { reason: New, severity: Warning, source: kmsg, match: x, literals: [] }", "literals must list 1 to")]
    [InlineData("      - { reason: New, severity: Warning, source: kmsg, match: x, literals: [''] }", "literal '' must be")]
    [InlineData("      - { reason: New, severity: Warning, source: kmsg, match: x, entity: '{dev}' }", "entity uses {dev} but match has no group named 'dev'")]
    [InlineData("      - { reason: New, severity: Warning, source: probe-mounts, entity: x }", "entity needs match")]
    [InlineData("      - { reason: New, severity: Warning, source: kmsg, match: x, rateLimit: often }", "rateLimit 'often' must look like 10/1m")]
    [InlineData("      - { reason: New, severity: Warning, source: kmsg, match: x, rateLimit: 0/1m }", "rateLimit '0/1m'")]
    [InlineData("      - { reason: New, severity: Warning, source: kmsg, match: x, rateLimit: 5/soon }", "rateLimit window 'soon'")]
    [InlineData("      - { reason: New, severity: Warning, source: kmsg, match: x, block: { until: '(' } }", "block until is not a valid regular expression")]
    [InlineData("      - { reason: New, severity: Warning, source: kmsg, match: x, block: { maxLines: 1 } }", "block maxLines 1 must be 2 to 1000")]
    [InlineData("      - { reason: New, severity: Warning, source: probe-x, block: { maxLines: 5 } }", "block needs match")]
    [InlineData("      - { reason: New, severity: Warning, source: kmsg, match: x, disabled: maybe }", "line 4")]
    [InlineData("      - { reason: AppBlocked, message: '{nothing}' }", "line 4: KernelReady/AppBlocked: message uses {nothing} but match has no group named 'nothing'")]
    [InlineData("      - { reason: AppBlocked, severity: Fatal }", "line 4: KernelReady/AppBlocked: a Fatal reason needs recovery")]
    [InlineData("      - { reason: A, severity: Warning, source: kmsg, match: x, before: B }\n      - { reason: B, severity: Warning, source: kmsg, match: y, before: A }", "precedence has a cycle: KernelReady/A (before B, broken.yaml), KernelReady/B (before A, broken.yaml)")]
    public void New_catalog_keys_are_validated_with_file_line_entry_and_problem(string entries, string expected)
    {
        var yaml = "conditions:\n  - type: KernelReady\n    reasons:\n" + entries;

        var error = Assert.Throws<CatalogException>(() => CatalogLoader.Parse("broken.yaml", yaml));

        Assert.Contains("broken.yaml", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("conditions: [ {", "line")]
    [InlineData("conditions:\n  - type: DiskReady\n    readyReason: X", "DiskReady")]
    [InlineData("conditions:\n  - type: KernelReady\n    reasons:\n      - reason: Bad\n        severity: Fatal\n        source: kmsg\n        match: x", "needs recovery")]
    [InlineData("conditions:\n  - type: KernelReady\n    reasons:\n      - reason: Bad\n        severity: Warning\n        source: kmsg\n        match: '('", "not a valid regular expression")]
    [InlineData("conditions:\n  - type: KernelReady\n    reasons:\n      - reason: Bad\n        severity: Warning\n        source: kmsg\n        match: x\n        message: '{missing}'", "no group named 'missing'")]
    [InlineData("conditions:\n  - type: KernelReady\n    reasons:\n      - reason: bad-name\n        severity: Warning\n        source: kmsg\n        match: x", "CamelCase")]
    [InlineData("conditions:\n  - type: KernelReady\n    reasons:\n      - reason: Bad\n        severity: Loud\n        source: kmsg\n        match: x", "severity 'Loud'")]
    [InlineData("conditions:\n  - type: KernelReady\n    reasons:\n      - reason: Bad\n        severity: Warning\n        source: Journald!\n        match: x", "source 'Journald!'")]
    [InlineData("conditions:\n  - type: KernelReady\n    reasons:\n      - reason: Bad\n        severity: Warning\n        source: dcgm\n        message: '{gpu}'", "no group named 'gpu'")]
    [InlineData("conditions:\n  - type: KernelReady\n    reasons:\n      - reason: Bad\n        severity: Warning\n        source: kmsg\n        match: x\n        occurrences: 3", "needs a window")]
    [InlineData("conditions:\n  - type: KernelReady\n    reasons:\n      - reason: Bad\n        severity: Warning\n        source: kmsg\n        match: x\n        occurrences: 3\n        window: soon", "window 'soon'")]
    [InlineData("conditions:\n  - type: KernelReady\n    reasons:\n      - reason: Bad\n        severity: Warning\n        source: kmsg\n        match: x\n        recovery: reboot", "only to Fatal")]
    [InlineData("conditions:\n  - type: KernelReady\n    reasons:\n      - reason: Bad\n        severity: Warning\n        source: kmsg\n        match: x\n        colour: red", "colour")]
    [InlineData("conditions:\n  - type: KernelReady\n    reasons:\n      - reason: Bad\n        severity: Fatal\n        source: kmsg\n        match: x\n        recovery: quiet", "needs quietFor")]
    [InlineData("conditions:\n  - type: KernelReady\n    reasons:\n      - reason: Bad\n        severity: Fatal\n        source: kmsg\n        match: x\n        recovery: quiet\n        quietFor: a while", "quietFor 'a while'")]
    [InlineData("conditions:\n  - type: KernelReady\n    reasons:\n      - reason: Bad\n        severity: Fatal\n        source: kmsg\n        match: x\n        recovery: reboot\n        quietFor: 10m", "only to recovery quiet")]
    public void Broken_catalog_is_refused_with_the_file_and_the_problem(string yaml, string expected)
    {
        var error = Assert.Throws<CatalogException>(() => CatalogLoader.Parse("broken.yaml", yaml));

        Assert.Contains("broken.yaml", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Missing_catalog_file_is_a_clear_error()
    {
        var error = Assert.Throws<CatalogException>(() => CatalogLoader.Load(["/nonexistent/extra.yaml"]));
        Assert.Contains("/nonexistent/extra.yaml does not exist", error.Message);
    }
}
