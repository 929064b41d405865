namespace NodeHealth.Actors.Detection.Probes;

/// <summary>
/// EKS's ApproachingKernelPidMax: processes (the numeric directories of /proc, not threads) against the larger of
/// kernel.pid_max and kernel.threads-max, at 70 %.
/// </summary>
public static class PidUsageCheck
{
    public const string Reason = "ApproachingKernelPidMax";
    public const string PidMaxPath = "/proc/sys/kernel/pid_max";
    public const string ThreadsMaxPath = "/proc/sys/kernel/threads-max";
    public const double Threshold = 0.70;

    public static ProbeProblem? Check(int processes, long pidMax, long threadsMax)
    {
        var limit = Math.Max(pidMax, threadsMax);
        if (limit <= 0)
            return null;
        var used = (double)processes / limit;
        return used >= Threshold
            ? new ProbeProblem(Reason, $"{processes} processes of a limit of {limit} (max of pid_max {pidMax} and threads-max {threadsMax}; {used:P0}, threshold {Threshold:P0})")
            : null;
    }

    /// <summary>Whether a /proc entry name is a process directory (all digits).</summary>
    public static bool IsProcessDirectory(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty)
            return false;
        foreach (var c in name)
            if (c is < '0' or > '9')
                return false;
        return true;
    }
}
