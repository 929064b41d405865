using NodeHealth.Actors.Agent.ContainerRuntime;
using NodeHealth.Actors.Agent.KernelProbes;
using NodeHealth.Actors.Agent.Storage;

namespace NodeHealth.Actors.Agent.Probes;

/// <summary>
/// The host as the kernel and storage probes read it: its files under HOST_ROOT, which mount table is the
/// host's (<see cref="MountsProbe.MountInfoPathFor"/>), the kernel clock, NVMe admin commands and the host's programs.
/// </summary>
public sealed record ProbeHost(IHostFiles Files, string MountInfoPath, IKernelClock Clock, INvmeAdmin Nvme, IHostCommands Commands)
{
    /// <summary>The container runtime's CRI endpoint; null where the agent host supplies none (the CRI probe is left out).</summary>
    public IRuntimeStatusSource? Runtime { get; init; }
}
