using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Agent.Accelerators;

/// <summary>
/// FabricManagerNotRunning: on a node whose PCI list shows NVSwitches, `systemctl is-active nvidia-fabricmanager`
/// on the host must say "active". Absent on nodes without NVSwitches, and where the host has no such unit.
/// </summary>
public sealed class FabricManagerProbe(IHostFiles host, IHostCommands commands, AcceleratorSettings settings) : IProbe
{
    public const string NotRunning = "FabricManagerNotRunning";
    public const string Unit = "nvidia-fabricmanager";

    public string Name => "fabric-manager";

    public ConditionType Condition => ConditionType.AcceleratedHardwareReady;

    public TimeSpan Interval => settings.FabricManagerEvery;

    public string Description => $"{settings.Systemctl} is-active {Unit}";

    public ProbeOutcome Poll()
    {
        var switches = AcceleratorInventory.Of(PciDeviceList.Read(host) ?? []).NvSwitches;
        if (switches.Length == 0)
            return new ProbeOutcome.Absent("no NVSwitch in the PCI device list: Fabric Manager is not needed");
        if (commands.Run(settings.Systemctl, ["is-active", Unit], settings.CommandTimeout) is not { } state)
            return new ProbeOutcome.Absent($"{settings.Systemctl} is not installed on the host");
        return new ProbeOutcome.Checked(Check(state, switches.Length));
    }

    /// <summary>
    /// systemctl prints the unit's state and exits 0 only for "active"; "activating" (starting) is not yet a fault.
    /// A unit systemd does not know is as good as stopped on a node that needs it.
    /// </summary>
    public static IReadOnlyList<ProbeFailure> Check(CommandResult state, int switches)
    {
        var word = state.Output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
        return state.ExitCode == 0 || word is "active" or "activating" or "reloading"
            ? []
            : [new ProbeFailure(NotRunning, null, $"{Unit} is {(word.Length > 0 ? word : $"not active (systemctl exited with {state.ExitCode})")} on a node with {switches} NVSwitch{(switches == 1 ? "" : "es")}")];
    }
}
