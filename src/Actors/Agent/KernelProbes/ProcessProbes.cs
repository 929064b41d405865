using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Actors.Detection.Probes;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Agent.KernelProbes;

/// <summary>EKS's ExcessiveZombieProcesses, counted from the state field of every /proc/&lt;pid&gt;/stat (not `ps aux`).</summary>
public sealed class ZombieProbe(IHostFiles host, TimeProvider clock, TimeSpan interval) : IProbe
{
    private readonly ZombieWatch _watch = new();

    public string Name => "zombies";
    public ConditionType Condition => ConditionType.KernelReady;
    public TimeSpan Interval => interval;
    public string Description => $"/proc/*/stat under {host.Root}";

    public ProbeOutcome Poll()
    {
        var zombies = 0;
        foreach (var pid in KernelProbeOutcome.ProcessIds(host))
        {
            var path = $"/proc/{pid}/stat";
            if (KernelProbeOutcome.ProcessFile(host, path) is { } text && KernelProbeOutcome.Parse(() => ProcessStat.Parse(text, path)).IsZombie)
                zombies++;
        }
        return KernelProbeOutcome.Of(_watch.Observe(zombies, clock.GetUtcNow().UtcDateTime));
    }
}

/// <summary>EKS's LargeEnvironment: every process's /proc/&lt;pid&gt;/environ, read up to 1 MiB each.</summary>
public sealed class EnvironmentProbe(IHostFiles host, TimeSpan interval) : IProbe
{
    private readonly byte[] _buffer = new byte[EnvironmentSizeCheck.ReadLimit];

    public string Name => "environ";
    public ConditionType Condition => ConditionType.KernelReady;
    public TimeSpan Interval => interval;
    public string Description => $"/proc/*/environ under {host.Root}";

    public ProbeOutcome Poll()
    {
        var failing = new List<ProbeFailure>();
        foreach (var pid in KernelProbeOutcome.ProcessIds(host))
        {
            int? length;
            try
            {
                length = host.ReadHead($"/proc/{pid}/environ", _buffer);
            }
            catch (ProbeUnavailableException)
            {
                continue; // Exited while being read.
            }
            if (length is not { } read)
                continue;
            var variables = EnvironmentSizeCheck.CountVariables(_buffer.AsSpan(0, read));
            if (variables <= EnvironmentSizeCheck.Threshold)
                continue;
            var command = KernelProbeOutcome.ProcessFile(host, $"/proc/{pid}/comm")?.TrimEnd('\n') ?? "?";
            failing.Add(KernelProbeOutcome.Failure(EnvironmentSizeCheck.Check(pid, command, variables)!));
        }
        return new ProbeOutcome.Checked(failing);
    }
}
