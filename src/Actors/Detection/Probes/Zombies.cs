namespace NodeHealth.Actors.Detection.Probes;

/// <summary>
/// EKS's ExcessiveZombieProcesses: at least 20 processes in state Z, sustained. EKS counts "&lt;defunct&gt;" in
/// `ps aux` every 5 minutes and fires on the 6th occurrence (MinOccurrences 5, never reset); here the count
/// comes from /proc/*/stat and it fires once the count has stayed at or above the threshold on every poll for
/// <see cref="SustainedFor"/> (25 minutes, EKS's 6 polls 5 minutes apart), whatever the poll interval.
/// </summary>
public sealed class ZombieWatch
{
    public const string Reason = "ExcessiveZombieProcesses";
    public const int Threshold = 20;
    public static readonly TimeSpan SustainedFor = TimeSpan.FromMinutes(25);

    private DateTime? _aboveSince;

    public ProbeProblem? Observe(int zombies, DateTime now)
    {
        if (zombies < Threshold)
        {
            _aboveSince = null;
            return null;
        }
        _aboveSince ??= now;
        var lasted = now - _aboveSince.Value;
        return lasted >= SustainedFor
            ? new ProbeProblem(Reason, $"{zombies} zombie processes (threshold {Threshold}), at or above the threshold for {lasted.TotalMinutes:0} minutes")
            : null;
    }
}
