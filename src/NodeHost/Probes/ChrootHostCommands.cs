using System.Diagnostics;
using NodeHealth.Actors.Agent.Probes;

namespace NodeHealth.NodeHost.Probes;

/// <summary>
/// Runs the host's own programs (xfs_db): chrooted into HOST_ROOT when there is one, so the agent image need not
/// carry xfsprogs (it needs `chroot`); directly on a plain host. Unlike <see cref="HostCommands"/> (tools the agent
/// image carries, such as ethtool), the program is the host's, named by its host path.
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
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ProbeUnavailableException($"Cannot run {info.FileName} for {program}: {e.Message}", e);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new ProbeUnavailableException($"{program} {string.Join(' ', arguments)} ran longer than {timeout.TotalSeconds:0} s and was killed");
            }
            return new CommandResult(process.ExitCode, output.GetAwaiter().GetResult() + error.GetAwaiter().GetResult());
        }
    }
}
