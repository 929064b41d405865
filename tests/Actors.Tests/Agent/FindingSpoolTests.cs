using NodeHealth.Actors.Agent.Uplink;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Tests.Agent;

public sealed class FindingSpoolTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "spool-" + Guid.NewGuid().ToString("N"));

    private static Finding Finding(long sequence, string boot = "run-1", Severity severity = Severity.Warning) =>
        new("node-a", ConditionType.KernelReady, "SoftLockup", severity, $"m{sequence}", DateTime.UtcNow, "kmsg", null, boot, sequence);

    [Fact]
    public void Unacknowledged_findings_and_cursors_survive_a_restart()
    {
        {
            var spool = FindingSpool.Open(_directory);
            spool.Append([Finding(1), Finding(2), Finding(3)], "kmsg", "boot:30");
            spool.Acknowledge("run-1", 2);
            spool.SaveCursor("kmsg", "boot:45");
        }

        var reopened = FindingSpool.Open(_directory);
        Assert.Equal([3L], reopened.Pending.Select(f => f.Sequence));
        Assert.Equal("boot:45", reopened.Cursor("kmsg"));
    }

    [Fact]
    public void Acknowledgement_applies_only_to_its_own_agent_run()
    {
        var spool = FindingSpool.Open(_directory);
        spool.Append([Finding(1, "run-1"), Finding(1, "run-2")], "kmsg", "c");

        Assert.Equal(1, spool.Acknowledge("run-2", 1));
        Assert.Equal("run-1", spool.Pending.Single().AgentBootId);
    }

    [Fact]
    public void Torn_last_record_after_a_crash_is_skipped_and_counted()
    {
        FindingSpool.Open(_directory).Append([Finding(1)], "kmsg", "boot:1");
        File.AppendAllText(Path.Combine(_directory, FindingSpool.FileName), "{\"Finding\":{\"NodeName\":\"nod");

        var reopened = FindingSpool.Open(_directory);
        Assert.Equal(1, reopened.CorruptRecords);
        Assert.Single(reopened.Pending);
        Assert.Equal("boot:1", reopened.Cursor("kmsg"));
    }

    [Fact]
    public void Full_spool_drops_the_oldest_and_counts_them()
    {
        var spool = FindingSpool.Open(_directory, capacity: 3);
        spool.Append([Finding(1), Finding(2), Finding(3), Finding(4), Finding(5)], "kmsg", "c");

        Assert.Equal([3L, 4L, 5L], spool.Pending.Select(f => f.Sequence));
        Assert.Equal(2, spool.Dropped);
    }

    [Fact]
    public void Full_spool_drops_info_then_warning_before_any_fatal_oldest_first()
    {
        var spool = FindingSpool.Open(_directory, capacity: 4);
        spool.Append([Finding(1, severity: Severity.Fatal), Finding(2), Finding(3, severity: Severity.Info), Finding(4)], "kmsg", "c1");

        var dropped = spool.Append([Finding(5, severity: Severity.Fatal), Finding(6, severity: Severity.Info), Finding(7, severity: Severity.Fatal)], "kmsg", "c2");

        Assert.Equal([3L, 6L, 2L], dropped.Select(f => f.Sequence));
        Assert.Equal([1L, 4L, 5L, 7L], spool.Pending.Select(f => f.Sequence));
        Assert.Equal([1L, 4L, 5L, 7L], FindingSpool.Open(_directory, capacity: 4).Pending.Select(f => f.Sequence));
    }

    [Fact]
    public void Forgotten_finding_stays_forgotten_after_a_restart()
    {
        var spool = FindingSpool.Open(_directory);
        spool.Append([Finding(1), Finding(2), Finding(3)], "kmsg", "c");

        Assert.True(spool.Forget(spool.Pending.ElementAt(1)));

        Assert.Equal([1L, 3L], FindingSpool.Open(_directory).Pending.Select(f => f.Sequence));
    }

    [Fact]
    public void Torn_multi_finding_append_rereads_rather_than_skips()
    {
        FindingSpool.Open(_directory).Append([Finding(1)], "kmsg", "boot:10");
        var path = Path.Combine(_directory, FindingSpool.FileName);
        var intact = File.ReadAllText(path);
        FindingSpool.Open(_directory).Append([Finding(2), Finding(3)], "kmsg", "boot:20");
        var lines = File.ReadAllLines(path);
        File.WriteAllText(path, intact + lines.Single(l => l.Contains("\"m2\"")) + "\n"); // The crash lost the last record.

        var reopened = FindingSpool.Open(_directory);
        Assert.Equal("boot:10", reopened.Cursor("kmsg")); // So lines 11..20 are read again.
    }

    private static ProbeRecovery Recovery(long sequence, string boot = "run-1") =>
        new("node-a", ConditionType.NetworkingReady, "InterfaceNotUp", "eth0", "interfaces", "eth0 passed again", DateTime.UtcNow, boot, sequence);

    [Fact]
    public void Probe_recoveries_are_spooled_in_order_with_findings_and_acknowledged_like_them()
    {
        {
            var spool = FindingSpool.Open(_directory);
            spool.Append([new Spooled(Finding(1)), new Spooled(Recovery: Recovery(2)), new Spooled(Finding(3))], "probe-interfaces", "r:1");
            spool.Acknowledge("run-1", 1);
        }

        var reopened = FindingSpool.Open(_directory);

        Assert.Equal([2L, 3L], reopened.Pending.Select(p => p.Sequence));
        Assert.Equal(Recovery(2) with { ObservedAt = reopened.Pending.First().Recovery!.ObservedAt }, reopened.Pending.First().Recovery);
        Assert.Equal("r:1", reopened.Cursor("probe-interfaces"));
    }

    [Fact]
    public void Full_spool_gives_up_warnings_before_probe_recoveries_and_recoveries_before_fatals()
    {
        var spool = FindingSpool.Open(_directory, capacity: 2);

        var dropped = spool.Append([new Spooled(Recovery: Recovery(1)), new Spooled(Finding(2, severity: Severity.Fatal)), new Spooled(Finding(3))], "kmsg", "c");
        var droppedNext = spool.Append([Finding(4, severity: Severity.Fatal)], "kmsg", "d");

        Assert.Equal([3L], dropped.Select(d => d.Sequence));
        Assert.Equal([1L], droppedNext.Select(d => d.Sequence));
        Assert.Equal([2L, 4L], spool.Pending.Select(p => p.Sequence));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
