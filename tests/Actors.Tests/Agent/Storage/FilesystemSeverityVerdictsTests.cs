using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Actors.Detection;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Tests.Agent.Storage;

/// <summary>How the probe framework carries a probe's milder severity (a read-only data disk) and when it recovers the fault.</summary>
public sealed class FilesystemSeverityVerdictsTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static readonly Contracts.Catalog.ReasonCatalog Catalog = CatalogLoader.Parse("storage-test.yaml", """
        conditions:
          - type: StorageReady
            reasons:
              - { reason: FilesystemReadOnly, severity: Fatal, source: kmsg, match: 'Remounting filesystem read-only', recovery: probe }
        """);

    private static ProbeVerdicts Verdicts() => new("mounts", Catalog.Rules);

    private static ProbeFailure ReadOnly(string device, Severity severity) => new("FilesystemReadOnly", device, $"{device} is read-only") { Severity = severity };

    [Fact]
    public void A_critical_filesystem_is_raised_at_the_catalog_severity_and_a_data_disk_at_the_probes_milder_one()
    {
        var verdicts = Verdicts();
        verdicts.Observe([], T0);

        var changes = verdicts.Observe([ReadOnly("nvme0n1p1", Severity.Fatal), ReadOnly("nvme2n1", Severity.Warning)], T0.AddSeconds(10));

        Assert.Equal([("nvme0n1p1", Severity.Fatal, RecoveryMode.Probe), ("nvme2n1", Severity.Warning, RecoveryMode.None)],
            changes.Raised.Select(r => (r.Entity!, r.Severity, r.Recovery)).ToArray());
        Assert.Equal("probe-mounts", changes.Raised[0].Source);
        Assert.Empty(changes.Recovered);
    }

    [Fact]
    public void A_probe_can_never_raise_graver_than_the_catalog()
    {
        var warningCatalog = CatalogLoader.Parse("w.yaml", """
            conditions:
              - type: StorageReady
                reasons:
                  - { reason: FilesystemReadOnly, severity: Warning, source: probe-mounts, recovery: none }
            """);

        var changes = new ProbeVerdicts("mounts", warningCatalog.Rules).Observe([ReadOnly("nvme0n1p1", Severity.Fatal)], T0);

        Assert.Equal(Severity.Warning, Assert.Single(changes.Raised).Severity);
    }

    [Fact]
    public void The_fault_recovers_when_the_critical_filesystem_is_writable_even_while_a_data_disk_stays_read_only()
    {
        var verdicts = Verdicts();
        verdicts.Observe([ReadOnly("nvme0n1p1", Severity.Fatal), ReadOnly("nvme2n1", Severity.Warning)], T0);

        var changes = verdicts.Observe([ReadOnly("nvme2n1", Severity.Warning)], T0.AddSeconds(10));

        var recovery = Assert.Single(changes.Recovered);
        Assert.Equal(("FilesystemReadOnly", "nvme0n1p1"), (recovery.Reason, recovery.Entity));
        Assert.Empty(verdicts.Observe([ReadOnly("nvme2n1", Severity.Warning)], T0.AddSeconds(20)).Recovered);
    }

    [Fact]
    public void A_data_disk_newly_read_only_clears_the_fatal_fault_the_kernel_line_raised_for_it()
    {
        var verdicts = Verdicts();
        verdicts.Observe([], T0);

        var changes = verdicts.Observe([ReadOnly("nvme2n1", Severity.Warning)], T0.AddSeconds(10));

        Assert.Equal(Severity.Warning, Assert.Single(changes.Raised).Severity);
        var recovery = Assert.Single(changes.Recovered);
        Assert.Equal("only nvme2n1 fails, at Warning", recovery.Detail);
    }

    [Fact]
    public void While_a_critical_filesystem_is_read_only_nothing_recovers()
    {
        var verdicts = Verdicts();
        verdicts.Observe([ReadOnly("nvme0n1p1", Severity.Fatal)], T0);

        Assert.Empty(verdicts.Observe([ReadOnly("nvme0n1p1", Severity.Fatal), ReadOnly("nvme2n1", Severity.Warning)], T0.AddSeconds(10)).Recovered);
    }
}
