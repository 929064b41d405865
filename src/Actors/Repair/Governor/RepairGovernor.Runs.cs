using System.Collections.Immutable;
using Akka.Actor;
using Akka.Event;
using NodeHealth.Actors.Repair.Budgets;
using NodeHealth.Contracts;
using NodeHealth.Actors.Repair.Execution;
using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Contracts.Catalog;
using NodeHealth.Contracts.Repair;

namespace NodeHealth.Actors.Repair.Governor;

// Carrying repairs out (Repair:Mode On): grant, run each step in a child runner, verify on the rounds, clear what was repaired, end.
public sealed partial class RepairGovernor
{
    private bool Executing => _settings.Policies.Current.Mode == RepairMode.On && _settings.Executors is not null;

    /// <summary>A RepairStarted for each Start of this round the ledger grants (checked again, one after another, so a round never overbooks).</summary>
    private ImmutableArray<IRepairGovernorEvent> Grants(RepairRound round, DateTimeOffset now)
    {
        if (!Executing)
            return [];
        var ledger = _state.Ledger;
        var events = ImmutableArray.CreateBuilder<IRepairGovernorEvent>();
        foreach (var decision in round.Decisions.Where(d => d.Verdict == RepairVerdict.Start && !d.DryRun))
        {
            var id = RepairId(decision.Node, now);
            var (reply, granted) = ledger.Decide(new GrantRepair(id, decision));
            if (granted is null)
            {
                _log.Warning("Repair of {0} not granted: {1}", decision.Node, reply.Why);
                continue;
            }

            ledger = ledger.Apply(granted);
            events.Add(new RepairStarted(id, now.UtcDateTime, decision.Node, decision.Pool, decision.Zone, decision.Condition, decision.Reason, decision.Action));
        }

        return events.ToImmutable();
    }

    /// <summary>A readable id, unique per node and second: one repair per node runs at a time.</summary>
    private string RepairId(string node, DateTimeOffset now)
    {
        var id = $"{node}-{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}";
        for (var n = 2; _state.Runs.ContainsKey(id); n++)
            id = $"{node}-{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{n}";
        return id;
    }

    /// <summary>For each repair waiting at Verify: done when the fleet shows it worked, ended Failed when its time is up.</summary>
    private ImmutableArray<IRepairGovernorEvent> Verifications(FleetSnapshot fleet, DateTimeOffset now)
    {
        if (!Executing)
            return [];
        var events = ImmutableArray.CreateBuilder<IRepairGovernorEvent>();
        foreach (var run in _state.Running.Where(r => NextStep(r) == RepairStep.Verify))
        {
            var started = run.Started;
            var acted = run.Steps.OrEmpty().LastOrDefault(s => s.Step is nameof(RepairStep.Reboot) or nameof(RepairStep.Replace));
            var result = RepairVerification.Check(started.Action, started.Node, started.Condition, GovernorRecords.Utc(acted?.RecordedAt ?? started.RecordedAt),
                acted?.ForHostBootId ?? "", fleet, _settings.Executors!.VerifyTimeout, now);
            switch (result.Verdict)
            {
                case VerifyVerdict.Verified:
                    events.Add(new RepairStepDone(started.RepairId, now.UtcDateTime, nameof(RepairStep.Verify), result.Detail));
                    break;
                case VerifyVerdict.TimedOut:
                    events.Add(new RepairEnded(started.RepairId, now.UtcDateTime, nameof(RepairOutcome.Failed), result.Detail, ""));
                    break;
                default:
                    _progress[started.RepairId] = result.Detail;
                    break;
            }
        }

        return events.ToImmutable();
    }

    /// <summary>After recovery (a failover, a restart): every repair in flight goes on after its last recorded step.</summary>
    private void ResumeRuns()
    {
        var running = _state.Running.ToList();
        if (running.Count == 0)
            return;
        if (!Executing)
        {
            _log.Warning("{0} repair(s) in flight wait: Repair:Mode is {1} (they go on in On; an operator may cancel them)",
                running.Count, _settings.Policies.Current.Mode);
            return;
        }

        _log.Info("Resuming {0} repair(s) in flight after their last recorded step", running.Count);
        foreach (var run in running)
            Advance(run.Started.RepairId);
    }

    private static RepairStep? NextStep(RepairRunState run) => RepairPlan.Next(run.Started.Action, run.Steps.OrEmpty().Select(s => s.Step));

    /// <summary>Starts the repair's next step, waits for the rounds at Verify, or ends it Succeeded when every step is done.</summary>
    private void Advance(string repairId)
    {
        if (!Executing || !_state.Runs.TryGetValue(repairId, out var run) || run.Ended is not null)
            return;
        var next = NextStep(run);
        if (next is null)
        {
            _progress.Remove(repairId);
            var verified = run.Steps.OrEmpty().LastOrDefault(s => s.Step == nameof(RepairStep.Verify))?.Detail ?? "every step done";
            Persist(new RepairEnded(repairId, _settings.Clock.GetUtcNow().UtcDateTime, nameof(RepairOutcome.Succeeded), verified, ""), Record);
            return;
        }

        if (next == RepairStep.Verify)
        {
            _progress[repairId] = "waiting for the next round to verify";
            return;
        }

        var name = RunnerName(repairId, next.Value);
        if (!Context.Child(name).IsNobody())
            return;
        _progress[repairId] = $"{next} running";
        Context.ActorOf(RepairStepRunner.Props(repairId, next.Value, Call(run, next.Value), _settings.Executors!), name);
    }

    private Func<CancellationToken, Task<StepOutcome>> Call(RepairRunState run, RepairStep step)
    {
        var executors = _settings.Executors!;
        var started = run.Started;
        // The drain's deadline runs from when it first started: after the cordon, however often it is resumed.
        var drainFrom = GovernorRecords.Utc(run.Steps.OrEmpty().LastOrDefault(s => s.Step == nameof(RepairStep.Cordon))?.RecordedAt ?? started.RecordedAt);
        return step switch
        {
            RepairStep.Cordon => c => executors.Cordon.CordonAsync(started.Node, c),
            RepairStep.Drain => c => executors.Drain.DrainAsync(started.Node, executors.DrainSettings, drainFrom, c),
            RepairStep.Reboot => c => executors.Rebooter.RebootAsync(started.Node, started.RepairId, c),
            RepairStep.Replace => c => executors.Replacer.ReplaceAsync(started.Node, started.Pool, c),
            RepairStep.Uncordon => c => executors.Cordon.UncordonAsync(started.Node, c),
            RepairStep.ClearFaults => c => executors.Faults.ClearRepairedAsync(started.Node, started.Condition, GovernorRecords.Utc(started.RecordedAt),
                RepairPlan.RepairedBy(started.Action, started.RepairId), c),
            _ => throw new ArgumentOutOfRangeException(nameof(step), step, "verification is the governor's own"),
        };
    }

    private void StepEnded(RepairStepRunner.StepEnded ended)
    {
        if (!_state.Runs.TryGetValue(ended.RepairId, out var run) || run.Ended is not null)
            return; // Cancelled while the step ran.
        var now = _settings.Clock.GetUtcNow().UtcDateTime;
        _progress.Remove(ended.RepairId);
        if (ended.Outcome.Status == StepStatus.Done)
            Persist(new RepairStepDone(ended.RepairId, now, ended.Step.ToString(), ended.Outcome.Detail, ended.Outcome.ForHostBootId), e =>
            {
                Record(e);
                Self.Tell(new Continue(e.RepairId));
            });
        else
            Persist(new RepairEnded(ended.RepairId, now, nameof(RepairOutcome.Failed), $"{ended.Step} failed: {ended.Outcome.Detail}", ""), Record);
    }

    /// <summary>Stops whatever step of the repair is running (cancel).</summary>
    private void StopRunners(string repairId)
    {
        foreach (var step in Enum.GetValues<RepairStep>())
            if (Context.Child(RunnerName(repairId, step)) is var runner && !runner.IsNobody())
                Context.Stop(runner);
    }

    private static string RunnerName(string repairId, RepairStep step) => $"{Uri.EscapeDataString(repairId)}-{step}";
}
