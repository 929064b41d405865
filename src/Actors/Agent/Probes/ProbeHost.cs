using NodeHealth.Actors.Agent.KernelProbes;
using NodeHealth.Actors.Agent.Storage;

namespace NodeHealth.Actors.Agent.Probes;

/// <summary>
/// The host as the kernel and storage probes read it: its files under HOST_ROOT, which mount table is the
/// host's (<see cref="MountsProbe.MountInfoPathFor"/>), the kernel clock, NVMe admin commands and the host's programs.
/// </summary>
public sealed record ProbeHost(IHostFiles Files, string MountInfoPath, IKernelClock Clock, INvmeAdmin Nvme, IHostCommands Commands);
