using NodeHealth.Actors.Agent.KernelProbes;
using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Actors.Detection.Probes;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Agent.Storage;

/// <summary>EKS's IODelays from field 42 of every /proc/&lt;pid&gt;/stat (<see cref="IoDelayWatch"/>).</summary>
public sealed class IoDelayProbe(IHostFiles host, TimeSpan interval) : IProbe
{
    private readonly IoDelayWatch _watch = new();

    public string Name => "iodelay";
    public ConditionType Condition => ConditionType.StorageReady;
    public TimeSpan Interval => interval;
    public string Description => $"/proc/*/stat under {host.Root}";

    public ProbeOutcome Poll()
    {
        var stats = new List<ProcessStat>();
        foreach (var pid in KernelProbeOutcome.ProcessIds(host))
        {
            var path = $"/proc/{pid}/stat";
            if (KernelProbeOutcome.ProcessFile(host, path) is { } text)
                stats.Add(KernelProbeOutcome.Parse(() => ProcessStat.Parse(text, path)));
        }
        return new ProbeOutcome.Checked([.. _watch.Observe(stats).Select(KernelProbeOutcome.Failure)]);
    }
}
