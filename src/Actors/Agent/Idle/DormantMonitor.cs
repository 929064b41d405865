using Akka.Actor;
using NodeHealth.Actors.Agent.Uplink;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Agent.Idle;

/// <summary>
/// A subsystem whose detection rules have not been built yet. It reads nothing and says so, so its
/// condition is not published at all rather than shown as a false "healthy".
/// </summary>
public sealed class DormantMonitor : ReceiveActor
{
    public const string NotMonitoredReason = "NotMonitored";

    public DormantMonitor(ConditionType condition, IActorRef uplink)
    {
        var report = new ReportMonitorStatus(new MonitorStatus(
            condition, MonitorState.Inactive, NotMonitoredReason, $"No {condition} detection rules run on this agent yet"));
        uplink.Tell(report);
        Receive<UplinkStarted>(_ => uplink.Tell(report));
    }

    protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(UplinkStarted));
}
