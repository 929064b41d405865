namespace NodeHealth.Actors.Agent.Reboot;

public enum RebootMode
{
    /// <summary>Run <see cref="RebootSettings.Command"/> (systemd in the host's namespaces).</summary>
    Command = 0,
    /// <summary>Only create the reboot sentinel file: kured reboots the node under its own lock and windows.</summary>
    KuredSentinel = 1,
}

/// <summary>
/// How the agent carries out a reboot command. Off unless <see cref="Enabled"/>: the agent then refuses, saying so.
/// <see cref="Command"/>: the program and its arguments (default: <c>systemctl reboot</c> in PID 1's namespaces, which
/// needs the host's PID namespace and privileges). <see cref="SentinelFile"/> is created under <see cref="SentinelRoot"/>,
/// where the host's root can be written (HOST_ROOT is mounted read-only in the DaemonSet; /proc/1/root is the host's
/// root with hostPID), its symbolic links followed as the host would.
/// </summary>
public sealed record RebootSettings(
    bool Enabled,
    RebootMode Mode,
    IReadOnlyList<string> Command,
    string SentinelFile,
    string SentinelRoot,
    TimeSpan CommandTimeout)
{
    public static readonly IReadOnlyList<string> SystemdInHostNamespaces = ["nsenter", "-t", "1", "-m", "-u", "-i", "-n", "-p", "--", "systemctl", "reboot"];
    public const string KuredSentinelFile = "/var/run/reboot-required";
    public const string HostRootOfPid1 = "/proc/1/root";
    public static readonly TimeSpan DefaultCommandTimeout = TimeSpan.FromMinutes(1);

    public static readonly RebootSettings Disabled =
        new(false, RebootMode.Command, SystemdInHostNamespaces, KuredSentinelFile, HostRootOfPid1, DefaultCommandTimeout);

    /// <summary>What the agent says when it refuses because rebooting is off.</summary>
    public const string NotEnabled = "rebooting is not enabled on this agent: set Agent:Reboot:Enabled=true (the DaemonSet does; the all-in-one does not)";
}
