using NodeHealth.Actors.Agent.KernelProbes;
using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Actors.Agent.Storage;
using NodeHealth.Contracts;
using NodeHealth.NodeHost.Probes;

namespace NodeHealth.NodeHost.Tests.Probes;

/// <summary>The probes against this machine's real /proc, /sys, adjtimex and a real loop-device filesystem.</summary>
[Collection(RealMounts.Name)]
public sealed class HostProbesTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly IHostFiles Host = new RootedHostFiles("/");

    private static IReadOnlyList<ProbeFailure> Failing(ProbeOutcome outcome) => Assert.IsType<ProbeOutcome.Checked>(outcome).Failing;

    [Fact]
    public void Adjtimex_reads_the_kernel_clock_status_without_changing_it()
    {
        var status = new Adjtimex().Status();

        // STA_RONLY bits (PPS signal, clock errors, nanosecond resolution...) are the kernel's; 0xFFFF0000 are unused.
        Assert.Equal(0, status & unchecked((int)0xFFFF0000));
        Assert.Equal(status & 0x40, new Adjtimex().Status() & 0x40);
    }

    [Fact]
    public void The_kernel_probes_read_this_hosts_proc_and_sys()
    {
        var clock = new ClockProbe(new Adjtimex(), Interval);
        IProbe[] probes =
        [
            new FileHandlesProbe(Host, Interval), new PidUsageProbe(Host, Interval), new ZombieProbe(Host, TimeProvider.System, Interval),
            new EnvironmentProbe(Host, Interval), new ZramProbe(Host, Interval), clock, new IoDelayProbe(Host, Interval),
        ];

        foreach (var probe in probes)
            Assert.True(probe.Poll() is ProbeOutcome.Checked or ProbeOutcome.Absent, probe.Name);
        // A test host is nowhere near these limits.
        Assert.Empty(Failing(probes[0].Poll()));
        Assert.Empty(Failing(probes[1].Poll()));
    }

    [RootFact]
    public void A_loop_filesystem_remounted_read_only_fails_fatal_on_a_critical_directory_and_passes_when_writable_again()
    {
        using var loop = new LoopMount();
        var probe = new MountsProbe(Host, MountsProbe.MountInfoPathFor("/"), Interval, ["/", Path.Combine(loop.MountPoint, "kubelet")]);
        Assert.DoesNotContain(Failing(probe.Poll()), f => f.Entity == loop.DeviceName);

        loop.RemountReadOnly();
        var failure = Assert.Single(Failing(probe.Poll()), f => f.Entity == loop.DeviceName);
        Assert.Equal(("FilesystemReadOnly", (Severity?)Severity.Fatal), (failure.Reason, failure.Severity));
        Assert.Contains($"{loop.MountPoint} ({loop.DeviceName}, ext4) was read-write and is now mounted read-only", failure.Message);

        loop.RemountWritable();
        Assert.DoesNotContain(Failing(probe.Poll()), f => f.Entity == loop.DeviceName);
    }

    [RootFact]
    public void A_loop_filesystem_the_kernel_made_read_only_after_an_error_fails_until_unmounted()
    {
        using var loop = new LoopMount();
        var probe = new MountsProbe(Host, MountsProbe.MountInfoPathFor("/"), Interval);
        Assert.DoesNotContain(Failing(probe.Poll()), f => f.Entity == loop.DeviceName);

        loop.TriggerFilesystemError();
        var failure = Assert.Single(Failing(probe.Poll()), f => f.Entity == loop.DeviceName);
        Assert.Equal(Severity.Warning, failure.Severity);
        Assert.Contains("made read-only by the kernel", failure.Message);

        loop.Unmount();
        Assert.DoesNotContain(Failing(probe.Poll()), f => f.Entity == loop.DeviceName);
    }

    [XfsFact]
    public void The_hosts_xfs_db_reads_a_real_xfs_filesystem()
    {
        using var loop = new LoopMount("xfs");

        var outcome = new XfsProbe(Host, new ChrootHostCommands(new HostPaths("/")), MountsProbe.MountInfoPathFor("/"), Interval).Poll();

        Assert.DoesNotContain(Failing(outcome), f => f.Entity == loop.DeviceName);
    }
}

/// <summary>Mounting writes kernel log lines, which would wake the /dev/kmsg tests' readers: these run alone, after the others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealMounts
{
    public const string Name = "real mounts";
}
