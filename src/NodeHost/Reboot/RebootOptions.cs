using NodeHealth.Actors.Agent.Reboot;

namespace NodeHealth.NodeHost.Reboot;

/// <summary>Section Agent:Reboot: whether and how the agent reboots its host when the coordinator's repair asks it to.</summary>
public sealed class RebootOptions
{
    /// <summary>Off by default (the all-in-one reboots nothing): the agent refuses reboot commands, saying so. The DaemonSet turns it on.</summary>
    public bool Enabled { get; set; }

    /// <summary>Command: run <see cref="Command"/>. KuredSentinel: only create <see cref="SentinelFile"/>; kured reboots under its own lock.</summary>
    public string Mode { get; set; } = nameof(RebootMode.Command);

    /// <summary>
    /// The reboot command, its words separated by spaces; default systemd in the host's namespaces:
    /// <c>nsenter -t 1 -m -u -i -n -p -- systemctl reboot</c> (the pod needs hostPID and privileges).
    /// </summary>
    public string? Command { get; set; }

    /// <summary>How long the command may run before it is killed and the reboot counts as failed.</summary>
    public TimeSpan CommandTimeout { get; set; } = RebootSettings.DefaultCommandTimeout;

    /// <summary>The host path kured watches (its --reboot-sentinel).</summary>
    public string SentinelFile { get; set; } = RebootSettings.KuredSentinelFile;

    /// <summary>Where the host's root can be written: /proc/1/root with hostPID (HOST_ROOT is mounted read-only in the DaemonSet).</summary>
    public string SentinelRoot { get; set; } = RebootSettings.HostRootOfPid1;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Enum.TryParse<RebootMode>(Mode, ignoreCase: false, out var mode) || !Enum.IsDefined(mode))
            errors.Add($"Agent:Reboot:Mode '{Mode}' is not Command or KuredSentinel");
        if (Command is { } command && Words(command).Length == 0)
            errors.Add("Agent:Reboot:Command is empty: leave it unset for systemctl reboot in the host's namespaces, or name a program, e.g. /usr/local/bin/reboot-node");
        if (CommandTimeout < TimeSpan.FromSeconds(1))
            errors.Add($"Agent:Reboot:CommandTimeout {CommandTimeout} is too short: use e.g. 00:01:00");
        if (!SentinelFile.StartsWith('/'))
            errors.Add($"Agent:Reboot:SentinelFile '{SentinelFile}' is not an absolute host path, e.g. {RebootSettings.KuredSentinelFile}");
        if (!SentinelRoot.StartsWith('/'))
            errors.Add($"Agent:Reboot:SentinelRoot '{SentinelRoot}' is not an absolute path, e.g. {RebootSettings.HostRootOfPid1}");
        return errors;
    }

    /// <summary>The settings the agent runs with (check <see cref="Validate"/> first).</summary>
    public RebootSettings ToSettings() => new(
        Enabled,
        Enum.TryParse<RebootMode>(Mode, out var mode) ? mode : RebootMode.Command,
        Command is { } command && Words(command) is { Length: > 0 } words ? words : RebootSettings.SystemdInHostNamespaces,
        SentinelFile,
        SentinelRoot,
        CommandTimeout);

    private static string[] Words(string command) => command.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
