using Akka.Actor;
using NodeHealth.Actors.Repair.Budgets;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Repair;

namespace NodeHealth.Actors.Repair.Governor;

// What operators change (the API checks the operator token): a global pause, a zone's breaker, a repair's cancel.
public sealed partial class RepairGovernor
{
    public static class OperatorCommands
    {
        public const string Pause = nameof(Pause);
        public const string Resume = nameof(Resume);
        public const string ResumeZone = nameof(ResumeZone);
        public const string Cancel = nameof(Cancel);
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

    private void Answer(IRepairGovernorEvent e, string detail) =>
        Persist(e, persisted =>
        {
            Record(persisted);
            Sender.Tell(new RepairCommandAnswer(true, true, detail));
        });
}
