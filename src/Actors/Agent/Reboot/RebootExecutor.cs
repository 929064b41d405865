using Akka.Actor;
using Akka.Event;
using NodeHealth.Actors.Agent.Uplink;
using NodeHealth.Contracts.Wire;

namespace NodeHealth.Actors.Agent.Reboot;

/// <summary>
/// Carries out the coordinator's commands (a reboot) at most once per id: the id is in the ledger, flushed to disk, before
/// the reboot starts, and a repeated id (every reconnect brings the unanswered ones again, also after the reboot) is
/// answered with what was recorded. Registers with the uplink for commands and answers through it.
/// </summary>
public sealed class RebootExecutor : ReceiveActor
{
    private readonly RebootSettings _settings;
    private readonly string _stateDirectory;
    private readonly string _hostBootId;
    private readonly IHostReboot _reboot;
    private readonly IActorRef _uplink;
    private readonly TimeProvider _clock;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<string> _running = new(StringComparer.Ordinal);
    private CommandLedger _ledger = null!;

    public RebootExecutor(RebootSettings settings, string stateDirectory, string hostBootId, IHostReboot reboot, IActorRef uplink, TimeProvider clock)
    {
        _settings = settings;
        _stateDirectory = stateDirectory;
        _hostBootId = hostBootId;
        _reboot = reboot;
        _uplink = uplink;
        _clock = clock;
        Receive<AgentCommand>(Handle);
        Receive<RebootEnded>(Ended);
        Receive<UplinkStarted>(_ => _uplink.Tell(HandleAgentCommands.Instance));
    }

    public static Props Props(RebootSettings settings, string stateDirectory, string hostBootId, IActorRef uplink, TimeProvider clock) =>
        Akka.Actor.Props.Create(() => new RebootExecutor(settings, stateDirectory, hostBootId, HostReboots.For(settings), uplink, clock));

    protected override void PreStart()
    {
        _ledger = CommandLedger.Open(_stateDirectory);
        if (_ledger.CorruptRecords > 0)
            _log.Warning("Command ledger {0} had {1} unreadable records (a write torn by a crash); they were skipped", _ledger.FilePath, _ledger.CorruptRecords);
        Context.System.EventStream.Subscribe(Self, typeof(UplinkStarted));
        _uplink.Tell(HandleAgentCommands.Instance);
    }

    private void Handle(AgentCommand command)
    {
        if (AgentCommandIds.Problem(command.Id) is { } problem)
        {
            _log.Warning("Ignored a command from the coordinator: {0}", problem);
            return;
        }

        switch (CommandDecision.Decide(command, _ledger.Find(command.Id), _running.Contains(command.Id), _hostBootId, _settings))
        {
            case CommandVerdict.Answer answer:
                Answer(answer.Result);
                break;
            case CommandVerdict.Execute:
                Execute(command);
                break;
        }
    }

    private void Execute(AgentCommand command)
    {
        try
        {
            _ledger.Record(new CommandRecord(command.Id, command.Kind, CommandProgress.Started, "", _hostBootId, Now));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not rebooting: without the record a reconnect after the reboot would reboot again.
            _log.Error("Cannot record command {0} in {1} ({2}); not rebooting, the coordinator sends it again", command.Id, _ledger.FilePath, e.Message);
            return;
        }

        _running.Add(command.Id);
        _log.Warning("Rebooting the host for command {0} ({1})", command.Id,
            _settings.Mode == RebootMode.KuredSentinel ? $"kured sentinel {_settings.SentinelFile}" : string.Join(' ', _settings.Command));
        var reboot = _reboot;
        var id = command.Id;
        var kind = command.Kind;
        Task.Run(() => reboot.Start()).PipeTo(Self,
            success: attempt => new RebootEnded(id, kind, attempt),
            failure: error => new RebootEnded(id, kind, new RebootAttempt(false, error.GetBaseException().Message)));
    }

    private void Ended(RebootEnded ended)
    {
        _running.Remove(ended.Id);
        var record = new CommandRecord(ended.Id, ended.Kind, ended.Attempt.Started ? CommandProgress.Accepted : CommandProgress.Failed,
            ended.Attempt.Detail, _hostBootId, Now);
        try
        {
            _ledger.Record(record);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.Error("Cannot record the end of command {0} in {1} ({2}); a repeat is answered from its start", ended.Id, _ledger.FilePath, e.Message);
        }

        if (ended.Attempt.Started)
            _log.Warning("Reboot of command {0} started: {1}", ended.Id, ended.Attempt.Detail);
        else
            _log.Error("Reboot of command {0} failed: {1}", ended.Id, ended.Attempt.Detail);
        Answer(CommandDecision.Recorded(record, _hostBootId));
    }

    private void Answer(AgentCommandResult result) => _uplink.Tell(new SendCommandResult(result));

    private DateTime Now => _clock.GetUtcNow().UtcDateTime;

    private sealed record RebootEnded(string Id, AgentCommandKind Kind, RebootAttempt Attempt);
}
