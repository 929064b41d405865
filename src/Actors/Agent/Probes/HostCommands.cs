using System.Diagnostics;

namespace NodeHealth.Actors.Agent.Probes;

public sealed record CommandResult(int ExitCode, string Output);

/// <summary>Runs a host tool (ethtool, iptables-save) for a probe.</summary>
public interface IHostCommands
{
    /// <summary>Null when the tool is not installed; throws <see cref="ProbeUnavailableException"/> when it hangs or cannot start.</summary>
    CommandResult? Run(string tool, IReadOnlyList<string> arguments, TimeSpan timeout);
}

public sealed class HostCommands : IHostCommands
{
    private const int MaxOutputChars = 1024 * 1024;

    public CommandResult? Run(string tool, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new ProbeUnavailableException($"{tool} did not start");
        }
        catch (System.ComponentModel.Win32Exception) // Not on PATH.
        {
            return null;
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new ProbeUnavailableException($"{tool} {string.Join(' ', arguments)} did not finish within {timeout.TotalSeconds:0} s");
            }

            var text = output.GetAwaiter().GetResult();
            return new CommandResult(process.ExitCode, text.Length <= MaxOutputChars ? text : text[..MaxOutputChars]);
        }
    }
}
