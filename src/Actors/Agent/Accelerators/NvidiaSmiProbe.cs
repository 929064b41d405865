using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Actors.Detection.Accelerators;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Agent.Accelerators;

/// <summary>
/// NvidiaDoubleBitError, NvidiaPageRetirement, NvidiaDeviceCountMismatch and NvidiaNVLinkError from the host's
/// nvidia-smi (<see cref="NvidiaSmiCheck"/>'s queries) against the GPUs in the PCI list; NvidiaSmiUnresponsive when
/// it keeps running past its deadline. Without nvidia-smi only the GPU count is checked, and only against a
/// configured expected count.
/// </summary>
public sealed class NvidiaSmiProbe(IHostFiles host, IHostCommands commands, AcceleratorSettings settings) : IProbe
{
    private readonly ToolTimeouts _timeouts = new(settings.TimeoutsBeforeFinding);
    private readonly GpuIdentities _gpus = settings.Gpus ?? new GpuIdentities();
    private IReadOnlyList<ProbeFailure> _lastFailing = [];

    public string Name => "nvidia-smi";

    public ConditionType Condition => ConditionType.AcceleratedHardwareReady;

    public TimeSpan Interval => settings.NvidiaSmiEvery;

    public string Description => $"{settings.NvidiaSmi} and {PciDeviceList.Directory} under {host.Root}";

    public ProbeOutcome Poll()
    {
        var onBus = AcceleratorInventory.Of(PciDeviceList.Read(host) ?? []).NvidiaGpus;
        try
        {
            var gpus = commands.Run(settings.NvidiaSmi, NvidiaSmiCheck.GpuQuery, settings.CommandTimeout);
            _timeouts.Answered();
            if (gpus is null)
            {
                if (settings.ExpectedGpuCount == 0)
                    return new ProbeOutcome.Absent($"{settings.NvidiaSmi} is not installed on the host and no GPU count is expected");
                return new ProbeOutcome.Checked(NvidiaSmiCheck.BusCountFailure(onBus, settings.ExpectedGpuCount) is { } fewer
                    ? [fewer with { Message = fewer.Message + $" ({settings.NvidiaSmi} is not installed, so only the PCI list is checked)" }]
                    : []);
            }

            var (rows, unreachable) = NvidiaSmiCheck.ParseGpus(gpus.Output);
            if (rows.Count == 0 && unreachable.Count == 0 && gpus.ExitCode != 0)
                throw new ProbeUnavailableException($"{settings.NvidiaSmi} exited with {gpus.ExitCode}: {Clip(gpus.Output)}");
            var remapped = Optional(NvidiaSmiCheck.RemappedRowsQuery) is { } r ? NvidiaSmiCheck.ParseRemappedRows(r) : [];
            var nvlinks = Optional(NvidiaSmiCheck.NvLinkStatus) is { } n ? NvidiaSmiCheck.ParseNvLinks(n) : [];
            _lastFailing = NvidiaSmiCheck.Failures(rows, unreachable, remapped, nvlinks, onBus, settings.ExpectedGpuCount, NvidiaSmiCheck.Teach(_gpus, rows));
            return new ProbeOutcome.Checked(_lastFailing);
        }
        catch (HostCommandTimedOutException hung) when (_timeouts.TimedOut() is var streak && streak >= settings.TimeoutsBeforeFinding)
        {
            // What it last said still stands: a tool that stopped answering is no evidence that an ECC error went away.
            return new ProbeOutcome.Checked([.. _lastFailing, new ProbeFailure(NvidiaSmiCheck.Unresponsive, "nvidia-smi",
                $"nvidia-smi ran past its {hung.Timeout.TotalSeconds:0.#} s deadline {streak} times in a row and was killed each time: the driver is not answering ({hung.Message})")])
            {
                Complete = false,
            };
        }
    }

    /// <summary>A query an older driver or GPU may not support: its failure is "no data", but a hang still counts.</summary>
    private string? Optional(IReadOnlyList<string> arguments) =>
        commands.Run(settings.NvidiaSmi, arguments, settings.CommandTimeout) is { ExitCode: 0 } result ? result.Output : null;

    private static string Clip(string text) => text.Trim() is var t && t.Length > 300 ? t[..300] + "…" : t;
}

/// <summary>Consecutive runs of one tool that hit their deadline, pure; an answer starts the count afresh.</summary>
public sealed class ToolTimeouts(int threshold)
{
    public int Threshold { get; } = Math.Max(1, threshold);

    public int Streak { get; private set; }

    public void Answered() => Streak = 0;

    /// <summary>Counts one more timeout and returns the streak.</summary>
    public int TimedOut() => ++Streak;
}
