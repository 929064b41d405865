using System.Globalization;
using System.Text.RegularExpressions;
using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Actors.Detection.Accelerators;

namespace NodeHealth.Actors.Agent.Accelerators;

/// <summary>One row of <see cref="NvidiaSmiCheck.GpuQuery"/>: a GPU the driver answers for.</summary>
public sealed record SmiGpu(int Index, string BusId, string Uuid, long? VolatileUncorrectedEcc, bool? RetiredPagesPending);

/// <summary>One row of <see cref="NvidiaSmiCheck.RemappedRowsQuery"/> (Ampere and newer).</summary>
public sealed record SmiRemappedRows(string BusId, bool? Pending, bool? Failure);

/// <summary>One GPU's NVLinks from <c>nvidia-smi nvlink --status</c>: link number and whether it is up.</summary>
public sealed record SmiNvLinks(int Index, IReadOnlyList<(int Link, bool Up)> Links);

/// <summary>
/// What nvidia-smi says, pure: parsers of its csv and nvlink outputs and the check over them. The exact commands
/// are the constants below; tests replay their recorded outputs (tests/Actors.Tests/Agent/Accelerators).
/// </summary>
public static partial class NvidiaSmiCheck
{
    public const string DoubleBitError = "NvidiaDoubleBitError";
    public const string PageRetirement = "NvidiaPageRetirement";
    public const string DeviceCountMismatch = "NvidiaDeviceCountMismatch";
    public const string NvLinkError = "NvidiaNVLinkError";
    public const string Unresponsive = "NvidiaSmiUnresponsive";

    /// <summary>Field names every driver since R450 knows (an unknown one makes nvidia-smi refuse the whole query).</summary>
    public static readonly string[] GpuQuery =
        ["--query-gpu=index,pci.bus_id,uuid,ecc.errors.uncorrected.volatile.total,retired_pages.pending", "--format=csv,noheader,nounits"];

    public static readonly string[] RemappedRowsQuery =
        ["--query-remapped-rows=gpu_bus_id,remapped_rows.pending,remapped_rows.failure", "--format=csv,noheader,nounits"];

    public static readonly string[] NvLinkStatus = ["nvlink", "--status"];

    /// <summary>The GPU rows, and the bus ids of GPUs nvidia-smi names but cannot reach ("Unable to determine the device handle for GPU0000:3B:00.0").</summary>
    public static (IReadOnlyList<SmiGpu> Gpus, IReadOnlyList<string> Unreachable) ParseGpus(string output)
    {
        var gpus = new List<SmiGpu>();
        var unreachable = new List<string>();
        foreach (var line in Lines(output))
        {
            if (UnreachableGpu().Match(line) is { Success: true } lost)
            {
                unreachable.Add(BusId(lost.Groups["bus"].Value));
                continue;
            }
            var cells = line.Split(',', StringSplitOptions.TrimEntries);
            if (cells.Length != 5 || !int.TryParse(cells[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index) || !BusIdForm().IsMatch(cells[1]))
                continue; // A warning line nvidia-smi prints among the rows.
            gpus.Add(new SmiGpu(index, BusId(cells[1]), cells[2], Count(cells[3]), YesNo(cells[4])));
        }

        return (gpus, unreachable);
    }

    public static IReadOnlyList<SmiRemappedRows> ParseRemappedRows(string output) =>
    [
        .. Lines(output)
            .Select(line => line.Split(',', StringSplitOptions.TrimEntries))
            .Where(cells => cells.Length == 3 && BusIdForm().IsMatch(cells[0]))
            .Select(cells => new SmiRemappedRows(BusId(cells[0]), YesNo(cells[1]), YesNo(cells[2]))),
    ];

    public static IReadOnlyList<SmiNvLinks> ParseNvLinks(string output)
    {
        var result = new List<SmiNvLinks>();
        List<(int, bool)>? links = null;
        foreach (var line in Lines(output))
        {
            if (NvLinkGpu().Match(line) is { Success: true } gpu)
            {
                links = [];
                result.Add(new SmiNvLinks(int.Parse(gpu.Groups["index"].Value, CultureInfo.InvariantCulture), links));
            }
            else if (links is not null && NvLinkLine().Match(line) is { Success: true } link)
                links.Add((int.Parse(link.Groups["link"].Value, CultureInfo.InvariantCulture), !link.Groups["state"].Value.Contains("inactive", StringComparison.OrdinalIgnoreCase)));
        }

        return result;
    }

    /// <summary>Teaches the agent's GPU map the UUID of each row, so that every source names these GPUs as nvidia-smi does.</summary>
    public static GpuIdentities Teach(GpuIdentities names, IEnumerable<SmiGpu> gpus)
    {
        foreach (var gpu in gpus)
            names.Learn(gpu.BusId, gpu.Uuid);
        return names;
    }

    /// <summary>
    /// The failures nvidia-smi's answers show. <paramref name="onPciBus"/> are the GPUs' bus ids in the PCI list;
    /// <paramref name="expected"/> is the agent's setting (0: unset, the PCI list is the expectation). A GPU's entity
    /// is its name in <paramref name="names"/> (the agent's map, taught these rows first; null: the rows alone), so
    /// <c>0000:3b:00/GPU-…</c> as kernel-log and DCGM findings name it.
    /// </summary>
    public static IReadOnlyList<ProbeFailure> Failures(
        IReadOnlyList<SmiGpu> gpus, IReadOnlyList<string> unreachable, IReadOnlyList<SmiRemappedRows> remapped, IReadOnlyList<SmiNvLinks> nvlinks,
        IReadOnlyList<string> onPciBus, int expected, GpuIdentities? names = null)
    {
        names ??= Teach(new GpuIdentities(), gpus);
        var failures = new List<ProbeFailure>();
        if (CountFailure(gpus, unreachable, onPciBus, expected) is { } count)
            failures.Add(count);
        foreach (var gpu in gpus.Where(g => g.VolatileUncorrectedEcc > 0))
            failures.Add(new ProbeFailure(DoubleBitError, names.Name(gpu.BusId),
                $"GPU {gpu.BusId} ({gpu.Uuid}) has {gpu.VolatileUncorrectedEcc} uncorrectable (double-bit) ECC error(s) since the driver loaded"));

        var retirement = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var gpu in gpus.Where(g => g.RetiredPagesPending == true))
            Note(retirement, gpu.BusId, "pages pending retirement (they retire at the next GPU reset)");
        foreach (var rows in remapped)
        {
            if (rows.Failure == true)
                Note(retirement, rows.BusId, "a row remapping failure (no spare rows left in a bank)");
            if (rows.Pending == true)
                Note(retirement, rows.BusId, "row remappings pending (they take effect at the next GPU reset)");
        }
        foreach (var (busId, notes) in retirement.OrderBy(r => r.Key, StringComparer.Ordinal))
            failures.Add(new ProbeFailure(PageRetirement, names.Name(busId), $"GPU {busId} has {string.Join(" and ", notes)}"));

        failures.AddRange(NvLinkFailures(gpus, nvlinks, names));
        return failures;
    }

    /// <summary>Fewer GPUs in the PCI list than the agent is told to expect (0: nothing expected); null when enough.</summary>
    public static ProbeFailure? BusCountFailure(IReadOnlyList<string> onPciBus, int expected) =>
        expected > 0 && onPciBus.Count < expected
            ? new ProbeFailure(DeviceCountMismatch, null, $"{onPciBus.Count} of the {expected} expected NVIDIA GPUs are in the PCI device list")
            : null;

    private static ProbeFailure? CountFailure(IReadOnlyList<SmiGpu> gpus, IReadOnlyList<string> unreachable, IReadOnlyList<string> onPciBus, int expected)
    {
        if (BusCountFailure(onPciBus, expected) is { } shortOnBus)
            return shortOnBus;
        var seen = gpus.Select(g => g.BusId).ToHashSet(StringComparer.Ordinal);
        var missing = onPciBus.Where(b => !seen.Contains(b)).Concat(unreachable).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var wanted = Math.Max(expected, onPciBus.Count);
        if (gpus.Count >= wanted && missing.Count == 0)
            return null;
        return new ProbeFailure(DeviceCountMismatch, null,
            $"nvidia-smi answers for {gpus.Count} of the {wanted} NVIDIA GPUs" + (missing.Count > 0 ? $"; not for {string.Join(", ", missing)}" : ""));
    }

    /// <summary>A link down matters where NVLink is in use: where no GPU has a link up, the node does not use NVLink (PCIe cards).</summary>
    private static IEnumerable<ProbeFailure> NvLinkFailures(IReadOnlyList<SmiGpu> gpus, IReadOnlyList<SmiNvLinks> nvlinks, GpuIdentities names)
    {
        if (!nvlinks.Any(g => g.Links.Any(l => l.Up)))
            yield break;
        foreach (var gpu in nvlinks)
        {
            var down = gpu.Links.Where(l => !l.Up).Select(l => l.Link).ToList();
            if (down.Count == 0)
                continue;
            var busId = gpus.FirstOrDefault(g => g.Index == gpu.Index)?.BusId;
            var name = busId ?? $"index {gpu.Index}";
            yield return new ProbeFailure(NvLinkError, busId is null ? $"gpu{gpu.Index}" : names.Name(busId),
                $"GPU {name}: NVLink {(down.Count == 1 ? "link" : "links")} {string.Join(", ", down)} of {gpu.Links.Count} {(down.Count == 1 ? "is" : "are")} down while other NVLinks on the node are up");
        }
    }

    private static void Note(Dictionary<string, List<string>> notes, string busId, string note)
    {
        if (!notes.TryGetValue(busId, out var list))
            notes[busId] = list = [];
        list.Add(note);
    }

    /// <summary>nvidia-smi's "00000000:3B:00.0" in NVRM's form "0000:3b:00" (<see cref="GpuIdentities.BusId"/>).</summary>
    public static string BusId(string smi) => GpuIdentities.BusId(smi);

    /// <summary>A count cell: a number, or "[N/A]" / "[Not Supported]" (no ECC on this part) as unknown.</summary>
    private static long? Count(string cell) =>
        long.TryParse(cell, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>A flag cell: "Yes"/"No" in csv; some drivers print the remapper's flags as 1/0; "[N/A]" is unknown.</summary>
    private static bool? YesNo(string cell) => cell switch
    {
        "Yes" or "yes" => true,
        "No" or "no" => false,
        _ when long.TryParse(cell, NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n > 0,
        _ => null,
    };

    private static IEnumerable<string> Lines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(4096);

    [GeneratedRegex(@"^[0-9A-Fa-f]{4,8}:[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}\.[0-7]$")]
    private static partial Regex BusIdForm();

    [GeneratedRegex(@"Unable to determine the device handle for (?:GPU|gpu)\s*(?<bus>[0-9A-Fa-f]{4,8}:[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}\.[0-7])")]
    private static partial Regex UnreachableGpu();

    [GeneratedRegex(@"^GPU (?<index>\d{1,3}): ")]
    private static partial Regex NvLinkGpu();

    [GeneratedRegex(@"^Link (?<link>\d{1,3}): (?<state>.+)$")]
    private static partial Regex NvLinkLine();
}
