using Akka.Actor;
using Akka.Event;
using NodeHealth.Actors.Agent.Uplink;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Agent.Probes;

public sealed record ProbeMonitorSettings
{
    /// <summary>A publish the uplink has not confirmed in this time (it was restarting), or refused, is sent again.</summary>
    public TimeSpan ResendAfter { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Runs probes on their intervals and publishes what changes: a (reason, entity) that starts failing
/// (after its catalog threshold) is a finding; a probe-backed fault whose check passes again is a
/// recovery, which the coordinator turns into FaultsCleared. Each probe reports its own status
/// (component <c>probe-&lt;name&gt;</c>): Active, Inactive when what it checks is absent, Failed with the
/// cause when it cannot read. A probe polls again only once its last changes are spooled.
/// </summary>
public sealed class ProbeMonitor : ReceiveActor, IWithTimers
{
    public const string UnavailableReason = "ProbeFailed";
    public const string AbsentReason = "NotPresent";
    public const string NoRulesReason = "NotMonitored";
    public const string SpoolUnwritableReason = "SpoolUnwritable";

    private readonly IActorRef _uplink;
    private readonly TimeProvider _clock;
    private readonly ProbeMonitorSettings _settings;
    private readonly ReasonCatalog _catalog;
    private readonly Dictionary<string, Slot> _slots;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly string _run = Guid.NewGuid().ToString("N")[..12];

    public ProbeMonitor(IReadOnlyList<IProbe> probes, ReasonCatalog catalog, IActorRef uplink, TimeProvider clock, ProbeMonitorSettings settings)
    {
        _uplink = uplink;
        _clock = clock;
        _settings = settings;
        _catalog = catalog;
        _slots = probes.ToDictionary(p => p.Name, p => new Slot(p, new ProbeVerdicts(p.Name, RulesOf(p, catalog))));

        Receive<Poll>(poll => Start(_slots[poll.Probe]));
        Receive<Polled>(polled => Finished(_slots[polled.Probe], polled));
        Receive<FindingsSpooled>(spooled => Confirmed(spooled.Source, spooled.Cursor));
        Receive<SpoolFailed>(Refused);
        Receive<Resend>(resend => SendUnconfirmed(_slots[resend.Probe]));
        Receive<UplinkStarted>(_ =>
        {
            foreach (var slot in _slots.Values)
            {
                if (slot.Status is { } status)
                    _uplink.Tell(new ReportMonitorStatus(status) { Component = slot.Source });
                SendUnconfirmed(slot);
            }
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The catalog rules a probe serves: those with its source, and those it raises besides another source (a reason the catalog disables is not raised).</summary>
    private static IEnumerable<ReasonRule> RulesOf(IProbe probe, ReasonCatalog catalog) =>
        catalog.RulesFor(Probes.SourceName(probe.Name))
            .Concat(probe.AlsoRaises.Select(reason => catalog.Rule(probe.Condition, reason)).OfType<ReasonRule>())
            .DistinctBy(rule => rule.Reason);

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(UplinkStarted));
        foreach (var slot in _slots.Values)
        {
            if (slot.Verdicts.Rules.Count == 0)
            {
                Report(slot, MonitorState.Inactive, NoRulesReason, $"No catalog reason has source {slot.Source}: the probe does not run");
                continue;
            }

            Report(slot, MonitorState.Starting, MonitorStatuses.StartingReason, $"Probe {slot.Probe.Name} has not polled {slot.Probe.Description} yet");
            Timers.StartPeriodicTimer(slot.Probe.Name, new Poll(slot.Probe.Name), slot.Probe.Interval);
            Self.Tell(new Poll(slot.Probe.Name));
        }
    }

    /// <summary>A probe may read slowly (a command, a hung sysfs file): it runs off the actor, one poll at a time.</summary>
    private void Start(Slot slot)
    {
        if (slot.Polling || slot.Unconfirmed is not null)
            return;
        slot.Polling = true;
        var probe = slot.Probe;
        Task.Run(probe.Poll).PipeTo(Self,
            success: outcome => new Polled(probe.Name, outcome, null),
            failure: error => new Polled(probe.Name, null, error.GetBaseException()));
    }

    private void Finished(Slot slot, Polled polled)
    {
        slot.Polling = false;
        switch (polled.Outcome)
        {
            case null when polled.Error is ProbeUnavailableException unavailable:
                if (slot.Status?.Detail != unavailable.Message)
                    _log.Warning("Probe {0} cannot read: {1}. Its condition is reported Unknown until it can", slot.Probe.Name, unavailable.Message);
                Report(slot, MonitorState.Failed, UnavailableReason, $"Probe {slot.Probe.Name}: {unavailable.Message}");
                return;
            case null:
                throw new InvalidOperationException($"Probe {slot.Probe.Name} failed unexpectedly", polled.Error);
            case ProbeOutcome.Absent absent:
                Report(slot, MonitorState.Inactive, AbsentReason, $"Probe {slot.Probe.Name}: {absent.Why}");
                return;
            case ProbeOutcome.Checked checkedNow:
                if (!slot.SpoolFailing)
                    ReportActive(slot);
                var changes = slot.Verdicts.Observe(checkedNow.Failing, _clock.GetUtcNow().UtcDateTime, checkedNow.Complete);
                if (changes.IsEmpty)
                    return;
                slot.Unconfirmed = new PublishFindings(changes.Raised, slot.Source, $"{_run}:{++slot.Publishes}") { Recoveries = changes.Recovered };
                SendUnconfirmed(slot);
                return;
        }
    }

    private void SendUnconfirmed(Slot slot)
    {
        if (slot.Unconfirmed is null)
            return;
        _uplink.Tell(slot.Unconfirmed);
        Timers.StartSingleTimer(("resend", slot.Probe.Name), new Resend(slot.Probe.Name), _settings.ResendAfter);
    }

    private void Confirmed(string source, string cursor)
    {
        if (_slots.Values.FirstOrDefault(s => s.Source == source && s.Unconfirmed?.Cursor == cursor) is not { } slot)
            return; // A late confirmation of a resent publish.
        Timers.Cancel(("resend", slot.Probe.Name));
        slot.Unconfirmed = null;
        if (!slot.SpoolFailing)
            return;
        slot.SpoolFailing = false;
        _log.Info("Probe {0} findings are spooled again", slot.Probe.Name);
        ReportActive(slot);
    }

    /// <summary>The agent can no longer vouch for what the probe saw: its condition is Unknown until the spool takes it.</summary>
    private void Refused(SpoolFailed failed)
    {
        if (_slots.Values.FirstOrDefault(s => s.Source == failed.Source && s.Unconfirmed?.Cursor == failed.Cursor) is not { } slot)
            return;
        if (!slot.SpoolFailing)
            _log.Warning("Probe {0} findings cannot be spooled: {1}; retrying every {2}", slot.Probe.Name, failed.Problem, _settings.ResendAfter);
        slot.SpoolFailing = true;
        Report(slot, MonitorState.Failed, SpoolUnwritableReason, failed.Problem);
        Timers.StartSingleTimer(("resend", slot.Probe.Name), new Resend(slot.Probe.Name), _settings.ResendAfter);
    }

    private void ReportActive(Slot slot)
    {
        var condition = _catalog.Definition(slot.Probe.Condition)
            ?? throw new CatalogException($"The catalog does not define {slot.Probe.Condition}, which probe {slot.Probe.Name} watches");
        Report(slot, MonitorState.Active, condition.ReadyReason, condition.ReadyMessage);
    }

    private void Report(Slot slot, MonitorState state, string reason, string detail)
    {
        var status = new MonitorStatus(slot.Probe.Condition, state, reason, detail);
        if (status == slot.Status)
            return;
        slot.Status = status;
        _uplink.Tell(new ReportMonitorStatus(status) { Component = slot.Source });
    }

    private sealed class Slot(IProbe probe, ProbeVerdicts verdicts)
    {
        public IProbe Probe { get; } = probe;
        public ProbeVerdicts Verdicts { get; } = verdicts;
        public string Source => Verdicts.Source;
        public bool Polling { get; set; }
        public bool SpoolFailing { get; set; }
        public PublishFindings? Unconfirmed { get; set; }
        public long Publishes { get; set; }
        public MonitorStatus? Status { get; set; }
    }

    private sealed record Poll(string Probe);

    private sealed record Polled(string Probe, ProbeOutcome? Outcome, Exception? Error);

    private sealed record Resend(string Probe);
}
