using NodeHealth.Actors.Agent.Accelerators;

namespace NodeHealth.NodeHost.Accelerators;

/// <summary>Section Agent:Accelerators: what the accelerator monitor expects and how it polls the host's GPU tools.</summary>
public sealed class AcceleratorOptions
{
    /// <summary>How many NVIDIA GPUs this node must have (0: as many as its PCI list shows); fewer is NvidiaDeviceCountMismatch.</summary>
    public int ExpectedGpuCount { get; set; }

    /// <summary>How often nvidia-smi, dcgmi and Fabric Manager are polled.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The deadline of one tool run; a tool still running at it is killed.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>nv-hostengine's address for dcgmi (EKS's DCGM_ADDRESS, e.g. localhost:5555); unset: dcgmi's default.</summary>
    public string? DcgmAddress { get; set; }

    /// <summary>How long DCGM may not answer before DCGMError.</summary>
    public TimeSpan DcgmGracePeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Host paths of the tools (run chrooted into HOST_ROOT).</summary>
    public string NvidiaSmi { get; set; } = "/usr/bin/nvidia-smi";
    public string Dcgmi { get; set; } = "/usr/bin/dcgmi";
    public string Systemctl { get; set; } = "/usr/bin/systemctl";

    public IEnumerable<string> Validate()
    {
        if (ExpectedGpuCount is < 0 or > 64)
            yield return $"Agent:Accelerators:ExpectedGpuCount {ExpectedGpuCount} must be 0 (as the PCI list shows) to 64";
        if (PollInterval < TimeSpan.FromSeconds(1))
            yield return $"Agent:Accelerators:PollInterval {PollInterval} is too short: use e.g. 00:01:00";
        if (CommandTimeout < TimeSpan.FromSeconds(1) || CommandTimeout >= PollInterval && PollInterval >= TimeSpan.FromSeconds(1))
            yield return $"Agent:Accelerators:CommandTimeout {CommandTimeout} must be at least 1 s and shorter than PollInterval {PollInterval}";
        foreach (var (key, path) in new[] { ("NvidiaSmi", NvidiaSmi), ("Dcgmi", Dcgmi), ("Systemctl", Systemctl) })
            if (!Path.IsPathRooted(path))
                yield return $"Agent:Accelerators:{key} '{path}' must be the tool's absolute path on the host, e.g. /usr/bin/nvidia-smi";
    }

    public AcceleratorSettings ToSettings() => new()
    {
        ExpectedGpuCount = ExpectedGpuCount,
        NvidiaSmiEvery = PollInterval,
        DcgmEvery = PollInterval,
        FabricManagerEvery = PollInterval,
        CommandTimeout = CommandTimeout,
        DcgmAddress = DcgmAddress,
        DcgmGracePeriod = DcgmGracePeriod,
        NvidiaSmi = NvidiaSmi,
        Dcgmi = Dcgmi,
        Systemctl = Systemctl,
    };
}
