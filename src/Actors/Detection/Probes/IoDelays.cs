namespace NodeHealth.Actors.Detection.Probes;

/// <summary>
/// EKS's IODelays: a process that spent at least 10 s waiting for block I/O (delayacct_blkio_ticks, field 42 of
/// /proc/&lt;pid&gt;/stat, in clock ticks of 1/100 s) between two polls. A process is known by pid and start time,
/// so a reused pid starts afresh; the first sight of a process only records its baseline (its total since start
/// is history, not a delay in this interval); a process gone from a poll is forgotten. EKS keys by pid and
/// command, keeps entries 15 minutes, and misreads the field when the command holds a space.
/// </summary>
public sealed class IoDelayWatch
{
    public const string Reason = "IODelays";
    public const long TicksPerSecond = 100;
    public static readonly TimeSpan Threshold = TimeSpan.FromSeconds(10);

    private Dictionary<(int Pid, ulong Start), ulong> _last = [];

    /// <summary>The processes over the threshold since the previous poll; one problem each, keyed by pid.</summary>
    public IReadOnlyList<ProbeProblem> Observe(IEnumerable<ProcessStat> processes)
    {
        var problems = new List<ProbeProblem>();
        var now = new Dictionary<(int, ulong), ulong>();
        foreach (var process in processes)
        {
            var key = (process.Pid, process.StartTicks);
            now[key] = process.BlockIoDelayTicks;
            if (!_last.TryGetValue(key, out var before) || process.BlockIoDelayTicks < before)
                continue;
            var waited = TimeSpan.FromSeconds((double)(process.BlockIoDelayTicks - before) / TicksPerSecond);
            if (waited >= Threshold)
                problems.Add(new ProbeProblem(Reason, $"process {process.Pid} ({process.Command}) waited {waited.TotalSeconds:0.#} s for block I/O since the last poll (threshold {Threshold.TotalSeconds:0} s)", $"{process.Pid}"));
        }
        _last = now;
        return problems;
    }
}
