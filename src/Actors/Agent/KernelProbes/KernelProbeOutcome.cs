using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Actors.Detection.Probes;

namespace NodeHealth.Actors.Agent.KernelProbes;

/// <summary>The small steps every host probe shares: a pure check's answer as a poll outcome, bad input as a probe that cannot read.</summary>
public static class KernelProbeOutcome
{
    public static ProbeFailure Failure(ProbeProblem problem) => new(problem.Reason, problem.Entity, problem.Message);

    public static ProbeOutcome Of(ProbeProblem? problem) =>
        problem is null ? ProbeOutcome.Passing : new ProbeOutcome.Checked([Failure(problem)]);

    /// <summary>A host file that does not hold what the kernel writes there makes the probe unavailable, not the agent crash.</summary>
    public static T Parse<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (ProbeInputException e)
        {
            throw new ProbeUnavailableException(e.Message, e);
        }
    }

    /// <summary>A number file (pid_max, disksize); bad content makes the probe unavailable.</summary>
    public static long Number(string text, string file) => Parse(() => ProbeText.Number(text, file, "the value"));

    /// <summary>A file of one process; null when the process is gone or hides it (it may exit between listing and reading).</summary>
    public static string? ProcessFile(IHostFiles host, string path)
    {
        try
        {
            return host.ReadText(path);
        }
        catch (ProbeUnavailableException)
        {
            return null;
        }
    }

    /// <summary>The process ids in /proc (its all-digit entries); empty when /proc is not there.</summary>
    public static IReadOnlyList<int> ProcessIds(IHostFiles host) =>
        [.. (host.List("/proc") ?? []).Where(n => PidUsageCheck.IsProcessDirectory(n) && n.Length < 10).Select(int.Parse)];
}
