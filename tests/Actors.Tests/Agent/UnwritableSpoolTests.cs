using Akka.Actor;
using Akka.TestKit.Xunit2;
using NodeHealth.Actors.Agent;
using NodeHealth.Actors.Agent.Logs;
using NodeHealth.Actors.Agent.Uplink;
using NodeHealth.Actors.Detection;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Tests.Agent;

/// <summary>The agent's state directory on a real filesystem that fills up or turns read-only, and recovers.</summary>
public sealed class UnwritableSpoolTests : TestKit, IDisposable
{
    private readonly LoopFilesystem? _disk = Environment.IsPrivilegedProcess ? new LoopFilesystem() : null;
    private readonly FakeUplinkTransport _coordinator = new();
    private readonly ScriptedKernelLog _log = new();
    private const int Lines = 40;
    private IActorRef _uplink = ActorRefs.Nobody;

    private IEnumerable<Finding> Delivered => _coordinator.Received.Where(m => m.Batch is not null).SelectMany(m => m.Batch!.Findings);

    private IEnumerable<MonitorStatus> KernelStatuses => _coordinator.Received
        .SelectMany(m => m.Status?.Monitors ?? m.Hello?.Monitors ?? [])
        .Where(s => s.Condition == ConditionType.KernelReady);

    private async Task StartAgentAsync()
    {
        var state = Path.Combine(_disk!.MountPoint, "agent");
        Sys.ActorOf(FastAgent.Props(state, _coordinator, _log, AgentBackoff.Default), "agent");
        await AwaitAssertAsync(() => Assert.Contains(KernelStatuses, s => s.State == MonitorState.Active), TimeSpan.FromSeconds(5));
        _uplink = await Sys.ActorSelection("/user/agent/uplink/uplink").ResolveOne(TimeSpan.FromSeconds(3));
    }

    [RootFact]
    public async Task Full_disk_is_reported_and_once_freed_every_finding_arrives_exactly_once()
    {
        await RunOutage(_disk!.Fill, _disk!.Free, "No space left on device");
    }

    [RootFact]
    public async Task Read_only_state_directory_is_reported_and_once_writable_every_finding_arrives_exactly_once()
    {
        await RunOutage(_disk!.RemountReadOnly, _disk!.RemountWritable, "Read-only file system");
    }

    private async Task RunOutage(Action breakDisk, Action mendDisk, string error)
    {
        _coordinator.Up();
        await StartAgentAsync();
        _log.Records.Add(ScriptedKernelLog.SoftLockup(1));
        await AwaitAssertAsync(() => Assert.Single(Delivered), TimeSpan.FromSeconds(5));

        breakDisk();
        // Enough to outgrow the spool file's last block, which may still have room on a full disk.
        for (var sequence = 2; sequence <= Lines; sequence++)
            _log.Records.Add(ScriptedKernelLog.SoftLockup(sequence));

        var failed = await AwaitFailedAsync();
        Assert.Equal(LogMonitor.SpoolUnwritableReason, failed.Reason);
        Assert.Contains(error, failed.Detail);
        Assert.Contains(Path.Combine(_disk!.MountPoint, "agent", FindingSpool.FileName), failed.Detail);
        var status = await _uplink.Ask<UplinkStatus>(GetUplinkStatus.Instance);
        Assert.True(status.SpoolFailures > 0);
        Assert.Contains(error, status.SpoolProblem);
        Assert.True(Delivered.Count() < Lines, "findings that could not be spooled were sent anyway");

        mendDisk();

        await AwaitAssertAsync(() => Assert.Equal(Lines, Delivered.Select(f => f.Message).Distinct().Count()), TimeSpan.FromSeconds(10));
        Assert.All(Delivered.GroupBy(f => f.Message), g => Assert.Single(g.Select(f => (f.AgentBootId, f.Sequence)).Distinct()));
        await AwaitAssertAsync(() => Assert.Equal(MonitorState.Active, KernelStatuses.Last().State), TimeSpan.FromSeconds(5));
        Assert.Null((await _uplink.Ask<UplinkStatus>(GetUplinkStatus.Instance)).SpoolProblem);
    }

    private async Task<MonitorStatus> AwaitFailedAsync()
    {
        MonitorStatus? failed = null;
        await AwaitAssertAsync(() => Assert.NotNull(failed = KernelStatuses.LastOrDefault(s => s.State == MonitorState.Failed)), TimeSpan.FromSeconds(5));
        return failed!;
    }

    void IDisposable.Dispose()
    {
        Shutdown();
        _disk?.Dispose();
    }
}
