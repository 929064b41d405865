using System.Diagnostics;
using NodeHealth.Actors.Agent.Probes;

namespace NodeHealth.Actors.Agent.Reboot;

/// <summary>How it went: <see cref="Started"/> when the reboot is under way (or the sentinel set); <see cref="Detail"/> says what happened.</summary>
public sealed record RebootAttempt(bool Started, string Detail);

/// <summary>Port: starts the host's reboot. Blocking (the executor runs it off the actor); never throws for an expected failure.</summary>
public interface IHostReboot
{
    RebootAttempt Start();
}

public static class HostReboots
{
    public static IHostReboot For(RebootSettings settings) => settings.Mode switch
    {
        RebootMode.KuredSentinel => new KuredSentinelReboot(settings.SentinelRoot, settings.SentinelFile),
        _ => new CommandReboot(settings.Command, settings.CommandTimeout),
    };
}

/// <summary>Runs the reboot command (systemd's <c>systemctl reboot</c> returns once the reboot job is queued).</summary>
public sealed class CommandReboot(IReadOnlyList<string> command, TimeSpan timeout) : IHostReboot
{
    public RebootAttempt Start()
    {
        var line = string.Join(' ', command);
        var start = new ProcessStartInfo(command[0]);
        foreach (var argument in command.Skip(1))
            start.ArgumentList.Add(argument);
        try
        {
            var result = HostProcess.Run(start, command[0], [.. command.Skip(1)], timeout, notInstalledIsNull: false)!;
            var output = result.Output.Trim() is { Length: > 0 } text ? $": {(text.Length <= 512 ? text : text[..512] + "…")}" : "";
            return result.ExitCode == 0
                ? new RebootAttempt(true, $"ran '{line}'{output}")
                : new RebootAttempt(false, $"'{line}' exited with {result.ExitCode}{output}");
        }
        catch (ProbeUnavailableException e)
        {
            return new RebootAttempt(false, e.Message);
        }
    }
}

/// <summary>
/// Creates the reboot sentinel kured watches (its --reboot-sentinel, /var/run/reboot-required) in the host's filesystem;
/// kured drains and reboots under its own lock. Symbolic links are followed inside <paramref name="root"/> (a host's
/// /var/run links to /run), never out of it into the agent's container.
/// </summary>
public sealed class KuredSentinelReboot(string root, string sentinel) : IHostReboot
{
    public const string Content = "*** System restart required ***\n";

    public RebootAttempt Start()
    {
        try
        {
            var path = RootedPath.Resolve(root, sentinel);
            File.WriteAllText(path, Content);
            return new RebootAttempt(true, $"created the reboot sentinel {sentinel} ({path}); kured reboots the node");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new RebootAttempt(false, $"cannot create the reboot sentinel {sentinel} under {root}: {e.Message}");
        }
    }
}

/// <summary>Resolves a host path under a root as the host would: an absolute symbolic link starts again at the root.</summary>
public static class RootedPath
{
    private const int MaxLinks = 40;

    public static string Resolve(string root, string path)
    {
        var remaining = new LinkedList<string>(Parts(path));
        var resolved = new List<string>();
        var links = 0;
        while (remaining.First is { } first)
        {
            remaining.RemoveFirst();
            var part = first.Value;
            if (part == ".")
                continue;
            if (part == "..")
            {
                if (resolved.Count > 0)
                    resolved.RemoveAt(resolved.Count - 1); // Never above the root, as at the host's "/".
                continue;
            }

            var candidate = Path.Combine([root, .. resolved, part]);
            if (new FileInfo(candidate).LinkTarget is not { } target)
            {
                resolved.Add(part);
                continue;
            }

            if (++links > MaxLinks)
                throw new IOException($"{path} under {root}: more than {MaxLinks} symbolic links");
            if (target.StartsWith('/'))
                resolved.Clear();
            foreach (var linked in Parts(target).Reverse())
                remaining.AddFirst(linked);
        }

        return Path.Combine([root, .. resolved]);
    }

    private static string[] Parts(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);
}
