using System.Diagnostics;
using NodeHealth.Actors.Agent.Probes;

namespace NodeHealth.NodeHost.Probes;

/// <summary>
/// Runs the host's own programs (xfs_db, nvidia-smi, dcgmi): chrooted into HOST_ROOT when there is one, so the agent
/// image need not carry xfsprogs or the NVIDIA driver's tools (it needs `chroot`); directly on a plain host. Unlike
/// <see cref="HostCommands"/> (tools the agent image carries, such as ethtool), the program is the host's, named by
/// its host path. Deadlines and output limits are <see cref="HostProcess"/>'s: a tool still running at its deadline is
/// killed with its process tree (chroot execs the program, so the tree is the tool's).
/// </summary>
public sealed class ChrootHostCommands(HostPaths host) : IHostCommands
{
    public CommandResult? Run(string program, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        if (!File.Exists(host.Resolve(program)))
            return null;
        var info = host.Root == "/" ? new ProcessStartInfo(program) : new ProcessStartInfo("chroot");
        if (host.Root != "/")
        {
            info.ArgumentList.Add(host.Root);
            info.ArgumentList.Add(program);
        }
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        return HostProcess.Run(info, program, arguments, timeout, notInstalledIsNull: false);
    }
}
