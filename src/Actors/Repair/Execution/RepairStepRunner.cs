using Akka.Actor;
using Akka.Event;

namespace NodeHealth.Actors.Repair.Execution;

/// <summary>
/// Runs one step of one repair for the governor (its parent): calls the executor, tries again after a Retry with a
/// doubling wait (giving up after <see cref="RepairExecutors.GiveUpAfter"/>), and tells the parent
/// <see cref="StepEnded"/> once the step is Done or Failed. Stopping it (a cancel,
/// the singleton moving) abandons the call; every step is idempotent, so the resumed run simply calls it again.
/// </summary>
public sealed class RepairStepRunner : ReceiveActor, IWithTimers
{
    private readonly string _repairId;
    private readonly RepairStep _step;
    private readonly Func<CancellationToken, Task<StepOutcome>> _call;
    private readonly RepairExecutors _executors;
    private readonly CancellationTokenSource _stopped = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly System.Diagnostics.Stopwatch _trying = System.Diagnostics.Stopwatch.StartNew();
    private TimeSpan _wait;
    private int _attempts;

    public RepairStepRunner(string repairId, RepairStep step, Func<CancellationToken, Task<StepOutcome>> call, RepairExecutors executors)
    {
        _repairId = repairId;
        _step = step;
        _call = call;
        _executors = executors;
        _wait = executors.RetryFirst;

        Receive<Attempt>(_ => Run());
        Receive<StepOutcome>(Handle);
        Receive<Status.Failure>(failure => Handle(StepOutcome.Retry($"{failure.Cause.GetType().Name}: {failure.Cause.Message}")));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart() => Self.Tell(Attempt.Instance);

    protected override void PostStop() => _stopped.Cancel();

    private void Run()
    {
        _attempts++;
        _call(_stopped.Token).PipeTo(Self);
    }

    private void Handle(StepOutcome outcome)
    {
        if (outcome.Status == StepStatus.Retry && _trying.Elapsed >= _executors.GiveUpAfter)
            outcome = StepOutcome.Failed($"still answering Retry after {Yaml.Duration.Text(_executors.GiveUpAfter)} ({_attempts} attempts): {outcome.Detail}");
        if (outcome.Status == StepStatus.Retry)
        {
            _log.Warning("Repair {0}: {1} will be tried again in {2} (attempt {3}): {4}", _repairId, _step, _wait, _attempts, outcome.Detail);
            Context.Parent.Tell(new StepRetrying(_repairId, _step, _attempts, outcome.Detail));
            Timers.StartSingleTimer(Attempt.Instance, Attempt.Instance, _wait);
            _wait = TimeSpan.FromTicks(Math.Min(_wait.Ticks * 2, _executors.RetryAtMost.Ticks));
            return;
        }

        Context.Parent.Tell(new StepEnded(_repairId, _step, outcome));
        Context.Stop(Self);
    }

    public static Props Props(string repairId, RepairStep step, Func<CancellationToken, Task<StepOutcome>> call, RepairExecutors executors) =>
        Akka.Actor.Props.Create(() => new RepairStepRunner(repairId, step, call, executors));

    /// <summary>The step is Done or Failed.</summary>
    public sealed record StepEnded(string RepairId, RepairStep Step, StepOutcome Outcome);

    /// <summary>The step answered Retry and waits (the API shows why).</summary>
    public sealed record StepRetrying(string RepairId, RepairStep Step, int Attempts, string Detail);

    private sealed record Attempt
    {
        public static readonly Attempt Instance = new();
    }
}
