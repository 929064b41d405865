using NodeHealth.Actors.Agent.Uplink;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Tests.Agent;

public sealed class FindingSpoolTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "spool-" + Guid.NewGuid().ToString("N"));

    private static Finding Finding(long sequence, string boot = "run-1") =>
        new("node-a", ConditionType.KernelReady, "SoftLockup", Severity.Warning, $"m{sequence}", DateTime.UtcNow, "kmsg", null, boot, sequence);

    [Fact]
    public void Unacknowledged_findings_and_cursors_survive_a_restart()
    {
        using (var spool = FindingSpool.Open(_directory))
        {
            spool.Append([Finding(1), Finding(2), Finding(3)], "kmsg", "boot:30");
            spool.Acknowledge("run-1", 2);
            spool.SaveCursor("kmsg", "boot:45");
        }

        using var reopened = FindingSpool.Open(_directory);
        Assert.Equal([3L], reopened.Pending.Select(f => f.Sequence));
        Assert.Equal("boot:45", reopened.Cursor("kmsg"));
    }

    [Fact]
    public void Acknowledgement_applies_only_to_its_own_agent_run()
    {
        using var spool = FindingSpool.Open(_directory);
        spool.Append([Finding(1, "run-1"), Finding(1, "run-2")], "kmsg", "c");

        Assert.Equal(1, spool.Acknowledge("run-2", 1));
        Assert.Equal("run-1", spool.Pending.Single().AgentBootId);
    }

    [Fact]
    public void Torn_last_record_after_a_crash_is_skipped_and_counted()
    {
        using (var spool = FindingSpool.Open(_directory))
            spool.Append([Finding(1)], "kmsg", "boot:1");
        File.AppendAllText(Path.Combine(_directory, FindingSpool.FileName), "{\"Finding\":{\"NodeName\":\"nod");

        using var reopened = FindingSpool.Open(_directory);
        Assert.Equal(1, reopened.CorruptRecords);
        Assert.Single(reopened.Pending);
        Assert.Equal("boot:1", reopened.Cursor("kmsg"));
    }

    [Fact]
    public void Full_spool_drops_the_oldest_and_counts_them()
    {
        using var spool = FindingSpool.Open(_directory, capacity: 3);
        spool.Append([Finding(1), Finding(2), Finding(3), Finding(4), Finding(5)], "kmsg", "c");

        Assert.Equal([3L, 4L, 5L], spool.Pending.Select(f => f.Sequence));
        Assert.Equal(2, spool.Dropped);
    }

    [Fact]
    public void Torn_multi_finding_append_rereads_rather_than_skips()
    {
        using (var spool = FindingSpool.Open(_directory))
            spool.Append([Finding(1)], "kmsg", "boot:10");
        var path = Path.Combine(_directory, FindingSpool.FileName);
        var intact = File.ReadAllText(path);
        using (var spool = FindingSpool.Open(_directory))
            spool.Append([Finding(2), Finding(3)], "kmsg", "boot:20");
        var lines = File.ReadAllLines(path);
        File.WriteAllText(path, intact + lines.Single(l => l.Contains("\"m2\"")) + "\n"); // The crash lost the last record.

        using var reopened = FindingSpool.Open(_directory);
        Assert.Equal("boot:10", reopened.Cursor("kmsg")); // So lines 11..20 are read again.
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
