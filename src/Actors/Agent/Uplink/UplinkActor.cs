using System.Collections.Immutable;
using Akka.Actor;
using Akka.Event;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Wire;

namespace NodeHealth.Actors.Agent.Uplink;

/// <summary><paramref name="HostBootId"/>: the node's kernel boot id, stamped on every finding and sent in the hello (empty when unreadable).</summary>
public sealed record UplinkSettings(
    string NodeName,
    string AgentVersion,
    string StateDirectory,
    string HostBootId = "",
    int SpoolCapacity = 10_000,
    int MaxBatch = IngestLimits.MaxFindingsPerBatch)
{
    public static readonly TimeSpan DefaultMinBackoff = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DefaultMaxBackoff = TimeSpan.FromSeconds(30);

    public TimeSpan MinBackoff { get; init; } = DefaultMinBackoff;
    public TimeSpan MaxBackoff { get; init; } = DefaultMaxBackoff;

    public static readonly TimeSpan DefaultHeartbeatInterval = TimeSpan.FromSeconds(10);

    /// <summary>While connected, a heartbeat goes up this often so the coordinator knows the agent (not just its socket) is alive.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = DefaultHeartbeatInterval;
}

/// <summary>
/// Delivers findings to the coordinator at least once: stamps each with this agent run's id and a
/// sequence number, spools it to disk, sends it in batches, forgets it when acknowledged, and after
/// every reconnect (with backoff) resends whatever is still unacknowledged. The coordinator drops
/// duplicates by (agent boot id, sequence). While connected it sends a heartbeat every interval,
/// which renews the agent's lease at the coordinator. A monitor learns from the reply to each
/// publish whether its findings are on disk; an invalid finding is quarantined, never resent forever.
/// Commands from the coordinator go to the executor that registered for them; its answers go up the stream.
/// </summary>
public sealed class UplinkActor : ReceiveActor, IWithTimers
{
    private readonly UplinkSettings _settings;
    private readonly IUplinkTransport _transport;
    private readonly TimeProvider _clock;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly string _agentBootId = Guid.NewGuid().ToString("N");
    private readonly Dictionary<(string Component, ConditionType Condition), MonitorStatus> _components = [];
    private ImmutableArray<MonitorStatus> _monitors = [];
    private readonly Queue<Spooled> _outbox = new();
    private FindingSpool _spool = null!;
    private FindingQuarantine _quarantine = null!;
    private long _spoolFailures;
    private string? _spoolProblem;
    private long _quarantined;
    private long _sequence;
    private int _failedAttempts;
    private long _sent;
    private long _acknowledged;
    private IUplinkConnection? _connection;
    private string _lastAddress = "";
    private CancellationTokenSource? _connectionLifetime;
    private IActorRef? _commandHandler;

    public UplinkActor(UplinkSettings settings, IUplinkTransport transport, TimeProvider clock)
    {
        _settings = settings;
        _transport = transport;
        _clock = clock;
        Disconnected();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        _spool = FindingSpool.Open(_settings.StateDirectory, _settings.SpoolCapacity);
        Metrics.AgentMetrics.Watch(_spool);
        _quarantine = new FindingQuarantine(_settings.StateDirectory, _clock);
        if (_spool.CorruptRecords > 0)
            _log.Warning("Spool had {0} unreadable records (a write torn by a crash); they were skipped", _spool.CorruptRecords);
        if (_spool.Pending.Count > 0)
            _log.Info("{0} unacknowledged findings from an earlier run will be resent", _spool.Pending.Count);
        Self.Tell(Reconnect.Instance);
        Context.System.EventStream.Publish(UplinkStarted.Instance);
    }

    protected override void PostStop()
    {
        _connectionLifetime?.Cancel();
        _ = _connection?.DisposeAsync();
    }

    private void Disconnected()
    {
        Common();
        Receive<Reconnect>(_ =>
        {
            var hello = new AgentHello(_settings.NodeName, _agentBootId, _settings.AgentVersion, _monitors, _settings.HostBootId);
            _transport.ConnectAsync(hello, CancellationToken.None).PipeTo(Self,
                success: connection => new Connected(connection),
                failure: error => new ConnectionLost(error, null));
            Become(Connecting);
        });
        Receive<ConnectionLost>(_ => { });
    }

    private void Connecting()
    {
        Common();
        Receive<Connected>(c =>
        {
            _connection = c.Connection;
            _failedAttempts = 0; // The coordinator answered the hello: the next loss starts backing off afresh.
            _connectionLifetime = new CancellationTokenSource();
            ReadResponses(c.Connection, _connectionLifetime.Token);
            _outbox.Clear();
            foreach (var finding in _spool.Pending)
                _outbox.Enqueue(finding);
            var address = c.Connection.Address;
            if (_lastAddress.Length > 0 && address.Length > 0 && address != _lastAddress)
                _log.Warning("Failed over from coordinator {0} to {1}", _lastAddress, address);
            if (address.Length > 0)
                _lastAddress = address;
            _log.Info("Connected to the coordinator{0} as node {1} (agent run {2}); resending {3} unacknowledged findings",
                address.Length > 0 ? " at " + address : "", _settings.NodeName, _agentBootId, _outbox.Count);
            Become(Online);
            Timers.StartPeriodicTimer(SendHeartbeat.Instance, SendHeartbeat.Instance, _settings.HeartbeatInterval);
            // Monitors may have reported while we were connecting, after the hello was built.
            _connection.Send(new AgentMessage(Status: new MonitorStatusReport(_monitors)));
            SendOutbox();
        });
        Receive<ConnectionLost>(lost => lost.Connection is null, LoseConnection);
    }

    private void Online()
    {
        Common();
        Receive<ConnectionLost>(lost => lost.Connection == _connection, LoseConnection);
        Receive<SendHeartbeat>(_ => _connection?.Send(new AgentMessage(Heartbeat: new AgentHeartbeat(_clock.GetUtcNow().UtcDateTime))));
    }

    /// <summary>What every state handles: accepting findings and cursors, which never wait for the network.</summary>
    private void Common()
    {
        Receive<PublishFindings>(Spool);
        // An ack that overtook the loss of its stream is still true: the findings are in the journal.
        Receive<BatchAck>(ack => TryWriteSpool(() => _acknowledged += _spool.Acknowledge(ack.AgentBootId, ack.UpToSequence)));
        Receive<SaveCursor>(save => TryWriteSpool(() => _spool.SaveCursor(save.Source, save.Cursor)));
        Receive<GetCursor>(get => Sender.Tell(new CursorResult(get.Source, _spool.Cursor(get.Source))));
        Receive<ReportMonitorStatus>(report =>
        {
            _components[(report.Component, report.Status.Condition)] = report.Status;
            var worst = MonitorStatusBoard.Worst(_components);
            if (worst.SequenceEqual(_monitors))
                return;
            _monitors = worst;
            _connection?.Send(new AgentMessage(Status: new MonitorStatusReport(_monitors)));
        });
        Receive<HandleAgentCommands>(_ => _commandHandler = Sender);
        Receive<AgentCommand>(command =>
        {
            if (_commandHandler is { } handler)
                handler.Tell(command);
            else
                _log.Warning("Command {0} ({1}) from the coordinator has no executor yet; it is sent again", command.Id, command.Kind);
        });
        Receive<SendCommandResult>(send => _connection?.Send(new AgentMessage(CommandResult: send.Result)));
        Receive<GetUplinkStatus>(_ => Sender.Tell(new UplinkStatus(
            _connection is not null, _spool.Pending.Count, _spool.Dropped, _sent, _acknowledged, _spoolFailures, _spoolProblem, _quarantined)));
    }

    private void Spool(PublishFindings publish)
    {
        // A repeat whose confirmation was lost: it is on disk already, and spooling it again would report it twice.
        if (_spool.Cursor(publish.Source) == publish.Cursor)
        {
            Sender.Tell(new FindingsSpooled(publish.Source, publish.Cursor));
            return;
        }

        List<Spooled> findings = [.. publish.Findings.Select(Stamp), .. publish.Recoveries.Select(Stamp)];
        IReadOnlyList<Spooled> dropped = [];
        if (!TryWriteSpool(() => dropped = _spool.Append(findings, publish.Source, publish.Cursor)))
        {
            Sender.Tell(new SpoolFailed(publish.Source, publish.Cursor, _spoolProblem!));
            return;
        }

        Sender.Tell(new FindingsSpooled(publish.Source, publish.Cursor));
        if (dropped.Count > 0)
            _log.Error("The spool is full ({0} unacknowledged findings): dropped {1} ({2}); {3} dropped since start",
                _spool.Capacity, dropped.Count,
                string.Join(", ", dropped.GroupBy(f => f.Describe()).Select(g => $"{g.Count()} {g.Key}")),
                _spool.Dropped);
        if (_connection is null)
            return; // Sent from the spool once connected.
        // Monitors already publish a whole read at a time: send at once, no batching delay.
        foreach (var finding in findings.Except(dropped))
            _outbox.Enqueue(finding);
        SendOutbox();
    }

    /// <summary>False (and the problem kept for the status) when the state directory cannot be written.</summary>
    private bool TryWriteSpool(Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _spoolFailures++;
            var problem = $"Cannot write the spool {_spool.FilePath}: {e.Message}";
            if (problem != _spoolProblem)
                _log.Error("{0}; monitors hold their findings and retry ({1} failed writes so far)", problem, _spoolFailures);
            _spoolProblem = problem;
            return false;
        }

        if (_spoolProblem is not null)
            _log.Info("The spool {0} can be written again", _spool.FilePath);
        _spoolProblem = null;
        return true;
    }

    /// <summary>Sets an invalid finding aside for good: resending it would only be refused again.</summary>
    private void Quarantine(Spooled finding, string why)
    {
        _quarantined++;
        try
        {
            _quarantine.Add(finding, why);
            _log.Error("Finding {0} of agent run {1} ({2}) is invalid and was quarantined in {3}: {4}",
                finding.Sequence, finding.AgentBootId, finding.Describe(), _quarantine.FilePath, why);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.Error("Finding {0} is invalid ({1}) and could not be quarantined ({2}); it is dropped: {3}", finding.Sequence, why, e.Message, (object?)finding.Finding ?? finding.Recovery);
        }

        TryWriteSpool(() => _spool.Forget(finding));
    }

    private Spooled Stamp(RecoveryDraft draft) => new ProbeRecovery(
        _settings.NodeName, draft.Condition, draft.Reason, draft.Entity, draft.Probe, draft.Detail, draft.ObservedAt,
        _agentBootId, ++_sequence, _settings.HostBootId) { StillFailing = [.. draft.StillFailing] };

    private Spooled Stamp(FindingDraft draft) => new Finding(
        _settings.NodeName, draft.Condition, draft.Reason, draft.Severity, draft.Message,
        draft.ObservedAt, draft.Source, draft.Entity, _agentBootId, ++_sequence, draft.Recovery, _settings.HostBootId, draft.QuietFor, Count: draft.Count);

    private void SendOutbox()
    {
        while (_connection is not null && OutboxBatch.Take(_outbox, _settings.MaxBatch, Quarantine) is { } batch)
        {
            if (!_connection.Send(new AgentMessage(Batch: batch)))
                return; // The stream closed; ConnectionLost is on its way and the spool still holds them.
            _sent += batch.Findings.Length + batch.Recoveries.Length;
        }
    }

    private void LoseConnection(ConnectionLost lost)
    {
        if (lost.Cause is FindingRejectedException rejected &&
            _spool.Pending.FirstOrDefault(f => f.AgentBootId == rejected.AgentBootId && f.Sequence == rejected.Sequence) is { } refused)
            Quarantine(refused, $"rejected by the coordinator: {rejected.Reason}");
        Timers.Cancel(SendHeartbeat.Instance);
        if (lost.Connection is not null)
            Metrics.AgentMetrics.Reconnected(); // A stream that was up is gone: the agent reconnects.
        _connectionLifetime?.Cancel();
        _ = _connection?.DisposeAsync();
        _connection = null;
        _failedAttempts++;
        var delay = Backoff(_failedAttempts);
        _log.Warning("Coordinator stream{0} unavailable ({1}); {2} findings wait in the spool; retrying in {3:0.0}s",
            lost.Connection is { Address.Length: > 0 } gone ? " to " + gone.Address : "",
            lost.Cause.GetBaseException().Message, _spool.Pending.Count, delay.TotalSeconds);
        Timers.StartSingleTimer(Reconnect.Instance, Reconnect.Instance, delay);
        Become(Disconnected);
    }

    private TimeSpan Backoff(int attempt)
    {
        var exponential = _settings.MinBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 16));
        var capped = Math.Min(exponential, _settings.MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.8 + Random.Shared.NextDouble() * 0.4));
    }

    private void ReadResponses(IUplinkConnection connection, CancellationToken cancellation)
    {
        var self = Self;
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var message in connection.ReadAllAsync(cancellation))
                {
                    if (message.Ack is { } ack)
                        self.Tell(ack);
                    if (message.Command is { } command)
                        self.Tell(command);
                }

                self.Tell(new ConnectionLost(new IOException("the coordinator closed the stream"), connection));
            }
            catch (Exception e) when (!cancellation.IsCancellationRequested)
            {
                self.Tell(new ConnectionLost(e, connection));
            }
            catch (OperationCanceledException)
            {
                // This connection was replaced or the actor stopped.
            }
        }, CancellationToken.None);
    }

    private sealed record Reconnect
    {
        public static readonly Reconnect Instance = new();
    }

    private sealed record SendHeartbeat
    {
        public static readonly SendHeartbeat Instance = new();
    }

    private sealed record Connected(IUplinkConnection Connection);

    /// <summary><paramref name="Connection"/> is null when connecting failed; stale losses of replaced connections are ignored.</summary>
    private sealed record ConnectionLost(Exception Cause, IUplinkConnection? Connection);
}
