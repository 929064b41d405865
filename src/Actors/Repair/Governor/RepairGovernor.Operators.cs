using Akka.Actor;
using NodeHealth.Actors.Repair.Budgets;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Repair;

namespace NodeHealth.Actors.Repair.Governor;

// What operators change (the API checks the operator token): a global pause, a zone's breaker, a repair's cancel, an approval, a node's pause.
public sealed partial class RepairGovernor
{
    public static class OperatorCommands
    {
        public const string Pause = nameof(Pause);
        public const string Resume = nameof(Resume);
        public const string ResumeZone = nameof(ResumeZone);
        public const string Cancel = nameof(Cancel);
        public const string Approve = nameof(Approve);
        public const string PauseNode = nameof(PauseNode);
        public const string ResumeNode = nameof(ResumeNode);
    }

    private void Operate(RepairOperatorCommand command)
    {
        var now = _settings.Clock.GetUtcNow();
        var ledger = _state.Ledger;
        switch (command.Kind)
        {
            case OperatorCommands.Pause when ledger.Decide(new PauseRepairs(command.By, command.Note, now)) is { } paused:
                Answer(GovernorRecords.From(paused), "repair paused: no new repair starts until resumed; repairs in flight go on");
                break;
            case OperatorCommands.Pause:
                Sender.Tell(new RepairCommandAnswer(true, false, $"repair is already paused by {ledger.Pause!.By} since {ledger.Pause.At:u}"));
                break;
            case OperatorCommands.Resume when ledger.Decide(new ResumeRepairs(command.By, now)) is { } resumed:
                Answer(GovernorRecords.From(resumed), "repair resumed");
                break;
            case OperatorCommands.Resume:
                Sender.Tell(new RepairCommandAnswer(true, false, "repair is not paused"));
                break;
            case OperatorCommands.ResumeZone:
                var closed = ledger.Decide(new ResumeZone(command.Target, command.By, now));
                var was = ledger.Zone(command.Target) is { Tripped: true } ? "its storm breaker closed" : "it was not tripped; unhealthy nodes seen so far no longer count towards a storm";
                Answer(GovernorRecords.From(closed), $"zone {command.Target} resumed: {was}");
                break;
            case OperatorCommands.Cancel:
                Cancel(command, now);
                break;
            case OperatorCommands.Approve:
                Approve(command, now);
                break;
            case OperatorCommands.PauseNode:
                PauseRepairsOf(command, now);
                break;
            case OperatorCommands.ResumeNode when ledger.Decide(new ResumeNode(command.Target, command.By, now)) is { } resumed:
                Answer(GovernorRecords.From(resumed), $"repair of {command.Target} resumed: the policy judges it again");
                Self.Tell(Tick.Instance);
                break;
            case OperatorCommands.ResumeNode:
                Sender.Tell(new RepairCommandAnswer(true, false, $"repair of {command.Target} is not paused"));
                break;
            default:
                Sender.Tell(new RepairCommandAnswer(false, false, $"unknown command '{command.Kind}'"));
                break;
        }
    }

    private void Cancel(RepairOperatorCommand command, DateTimeOffset now)
    {
        if (!_state.Runs.TryGetValue(command.Target, out var run))
        {
            Sender.Tell(new RepairCommandAnswer(false, false, $"no repair {command.Target}"));
            return;
        }

        if (run.Ended is { } ended)
        {
            Sender.Tell(new RepairCommandAnswer(true, false, $"repair {command.Target} already ended {ended.Outcome} at {ended.RecordedAt:u}"));
            return;
        }

        StopRunners(command.Target);
        _progress.Remove(command.Target);
        var note = command.Note is { Length: > 0 } n ? $": {n}" : "";
        var done = string.Join(", ", run.Steps.OrEmpty().Select(s => s.Step));
        Answer(new RepairEnded(command.Target, now.UtcDateTime, nameof(RepairOutcome.Cancelled),
            $"cancelled after {(done.Length > 0 ? done : "no step")}{note}; the node is left as it is (uncordon it if it was cordoned)", command.By),
            $"repair {command.Target} cancelled");
    }

    /// <summary>
    /// Approves the repair the node's latest decision names, where the policy holds it for approval (also ahead of
    /// time, while its wait runs or a budget holds it); then decides at once, so an allowed repair starts now.
    /// </summary>
    private void Approve(RepairOperatorCommand command, DateTimeOffset now)
    {
        var policy = _settings.Policies.Current;
        if (!_state.Latest.TryGetValue(command.Target, out var decision) || decision.Verdict == nameof(RepairVerdict.NoAction))
        {
            Sender.Tell(new RepairCommandAnswer(false, false, $"no repair is pending for {command.Target}: the governor has no decision to repair it"));
            return;
        }

        var action = decision.Action;
        if (decision.Verdict == nameof(RepairVerdict.InFlight))
        {
            Sender.Tell(new RepairCommandAnswer(true, false, $"a repair of {command.Target} is already running"));
            return;
        }

        if (!policy.Approval.Requires(action, decision.Pool))
        {
            Sender.Tell(new RepairCommandAnswer(true, false,
                $"{action} of {command.Target} (pool {decision.Pool}) needs no approval under {policy.Origin}; it starts when the other clauses allow it"));
            return;
        }

        var since = decision.Findings.OrEmpty().Where(f => f.Condition == decision.Condition).Select(f => GovernorRecords.Utc(f.Since)).DefaultIfEmpty(now).Min();
        if (policy.Approval.Valid(_state.Ledger.Approvals.GetValueOrDefault(command.Target), action, since, now) is { } given)
        {
            Sender.Tell(new RepairCommandAnswer(true, false, $"{action} of {command.Target} is already approved by {given.By} at {given.At:u}"));
            return;
        }

        var approval = new RepairApproval(command.Target, decision.Condition, action, command.By, command.Note, now);
        if (_state.Ledger.Decide(new ApproveRepair(approval)) is not { } approved)
        {
            Sender.Tell(new RepairCommandAnswer(true, false, $"a repair of {command.Target} is already running"));
            return;
        }

        Answer(GovernorRecords.From(approved),
            $"{action} of {command.Target} approved; it starts when every other clause allows it (approvals expire after {Yaml.Duration.Text(policy.Approval.ExpiresAfter)})");
        Self.Tell(Tick.Instance);
    }

    /// <summary>
    /// Pauses repair of one node by name (known or not, healthy or not); then decides at once, so the node's decision
    /// says why it is held back.
    /// </summary>
    private void PauseRepairsOf(RepairOperatorCommand command, DateTimeOffset now)
    {
        var node = command.Target;
        if (_state.Ledger.Decide(new PauseNode(new NodePause(node, command.By, now, command.Note))) is not { } paused)
        {
            var pause = _state.Ledger.PausedNodes[node];
            Sender.Tell(new RepairCommandAnswer(true, false, $"repair of {node} is already paused by {pause.By} since {pause.At:u}"));
            return;
        }

        var unknown = _state.Latest.ContainsKey(node) ? "" : $"; the governor has no decision for {node} now (healthy, or not known yet): the pause holds once it has one";
        Answer(GovernorRecords.From(paused.Pause), $"repair of {node} paused: no new repair of it starts until resumed{RunningNote(node)}{unknown}");
        Self.Tell(Tick.Instance);
    }

    /// <summary>What a node's pause leaves alone: the repair of it already running (cancel stops that).</summary>
    private string RunningNote(string node) =>
        _state.Running.FirstOrDefault(r => r.Started.Node == node) is { } run
            ? $"; repair {run.Started.RepairId} of it goes on (POST /api/repairs/{run.Started.RepairId}/cancel stops it)"
            : "";

    private void Answer(IRepairGovernorEvent e, string detail) =>
        Persist(e, persisted =>
        {
            Record(persisted);
            Sender.Tell(new RepairCommandAnswer(true, true, detail));
        });
}
