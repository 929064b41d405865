using System.Diagnostics;

namespace NodeHealth.EndToEnd.Tests.Support;

/// <summary>Runs a machine command the tests set up with (ip, mount, nsenter); a failure names the command and its output.</summary>
public static class HostCommand
{
    public static void Run(params string[] command)
    {
        var info = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in command[1..])
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{string.Join(' ', command)} exited with {process.ExitCode}: {output.Trim()}");
    }

    /// <summary>For clean-up: what is already gone need not be removed again.</summary>
    public static void TryRun(params string[] command)
    {
        try
        {
            Run(command);
        }
        catch (InvalidOperationException)
        {
        }
    }
}
