using System.Diagnostics;

namespace NodeHealth.Actors.Agent.Probes;

public sealed record CommandResult(int ExitCode, string Output);

/// <summary>
/// Runs a host tool (ethtool, iptables-save, nvidia-smi) for a probe: the one port probes reach programs through.
/// Every run has a deadline: a tool still running at it is killed with its whole process tree, and one that exits
/// but leaves a child holding its output open is not waited for past it either, so a hung tool never hangs a probe.
/// </summary>
public interface IHostCommands
{
    /// <summary>
    /// Null when the tool is not installed; throws <see cref="HostCommandTimedOutException"/> when it outlives
    /// <paramref name="timeout"/> (it has been killed), <see cref="ProbeUnavailableException"/> when it cannot start.
    /// </summary>
    CommandResult? Run(string tool, IReadOnlyList<string> arguments, TimeSpan timeout);
}

/// <summary>A tool ran past its deadline and was killed; <see cref="Tool"/> names it for a finding (a GPU tool that keeps hanging).</summary>
public sealed class HostCommandTimedOutException(string tool, TimeSpan timeout, string message) : ProbeUnavailableException(message)
{
    public string Tool { get; } = tool;

    public TimeSpan Timeout { get; } = timeout;
}

/// <summary>Tools the agent image carries, found on its PATH (or named by absolute path).</summary>
public sealed class HostCommands : IHostCommands
{
    public CommandResult? Run(string tool, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(tool);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        return HostProcess.Run(start, tool, arguments, timeout, notInstalledIsNull: true);
    }
}

/// <summary>How both command adapters run a process: bounded in time and in output, stdout then stderr.</summary>
public static class HostProcess
{
    public const int MaxOutputChars = 1024 * 1024;

    /// <summary>
    /// Runs <paramref name="start"/> (its redirection is set here) until it exits or <paramref name="timeout"/> passes.
    /// <paramref name="tool"/> names it in errors. With <paramref name="notInstalledIsNull"/>, a program that cannot be
    /// found answers null; otherwise a failure to start throws <see cref="ProbeUnavailableException"/>.
    /// </summary>
    public static CommandResult? Run(ProcessStartInfo start, string tool, IReadOnlyList<string> arguments, TimeSpan timeout, bool notInstalledIsNull)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true; // A tool that prompts reads end-of-file instead of waiting for a terminal.
        start.UseShellExecute = false;
        var deadline = Stopwatch.StartNew();
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new ProbeUnavailableException($"{tool} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            if (notInstalledIsNull)
                return null; // Not on PATH.
            throw new ProbeUnavailableException($"Cannot run {start.FileName} for {tool}: {e.Message}", e);
        }

        using (process)
        {
            process.StandardInput.Close();
            var output = Bounded(process.StandardOutput);
            var error = Bounded(process.StandardError);
            var exited = process.WaitForExit(Remaining(deadline, timeout));
            // A child the tool left behind may hold the pipes open after it exits: wait for them only until the deadline
            // (at least DrainGrace, so output already written is not lost to a tool that exited just in time).
            var drained = exited && Task.WaitAll([output, error], Max(Remaining(deadline, timeout), DrainGrace));
            if (!drained)
            {
                Kill(process);
                var what = exited ? "exited but left a process holding its output open" : "ran longer than the deadline";
                throw new HostCommandTimedOutException(tool, timeout,
                    $"{tool} {string.Join(' ', arguments)} {what} ({timeout.TotalSeconds:0.#} s) and was killed");
            }

            var text = output.Result + error.Result;
            return new CommandResult(process.ExitCode, text.Length <= MaxOutputChars ? text : text[..MaxOutputChars]);
        }
    }

    private static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(1);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TimeSpan Remaining(Stopwatch elapsed, TimeSpan timeout) =>
        timeout - elapsed.Elapsed is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero;

    /// <summary>
    /// Reads to the end but keeps at most <see cref="MaxOutputChars"/>, so a tool that floods cannot exhaust memory. A
    /// thread of its own, not the pool's: a busy pool must not make a tool that answered look like one that hung.
    /// </summary>
    private static Task<string> Bounded(StreamReader reader) => Task.Factory.StartNew(() =>
    {
        var kept = new System.Text.StringBuilder();
        var buffer = new char[16 * 1024];
        int read;
        while ((read = reader.Read(buffer)) > 0)
        {
            if (kept.Length < MaxOutputChars)
                kept.Append(buffer, 0, Math.Min(read, MaxOutputChars - kept.Length));
        }

        return kept.ToString();
    }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // It exited on its own meanwhile; a lingering child keeps our read tasks, which are abandoned.
        }
    }
}
