using System.Text.RegularExpressions;

namespace NodeHealth.Actors.Detection.Accelerators;

/// <summary>
/// The agent's one map of its GPUs, PCI bus id → UUID, so that a GPU has one name whichever source saw it: the kernel
/// log teaches it from "NVRM: GPU at PCI:0000:3b:00: GPU-…" lines, nvidia-smi from its query rows, DCGM from
/// `dcgmi discovery -l`. A GPU's entity is its bus id in NVRM's form (<c>0000:3b:00</c>), with <c>/GPU-&lt;uuid&gt;</c>
/// once any source has told the UUID. Because the UUID may come later than a GPU's first finding, what counts per GPU
/// (thresholds, rate limits, probe verdicts) is keyed by <see cref="KeyOf"/>, the bus id alone. Thread-safe: log
/// readers and probes share it from their own threads. Bounded to <see cref="MaxGpus"/> bus ids (a node has at most a
/// few dozen; log text cannot grow it beyond).
/// </summary>
public sealed partial class GpuIdentities
{
    public const int MaxGpus = 64;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _uuids = new(StringComparer.Ordinal);
    private readonly Queue<string> _learned = new();

    public int KnownGpus
    {
        get
        {
            lock (_gate)
                return _uuids.Count;
        }
    }

    /// <summary>Remembers a GPU's UUID, in either form of its bus id; text that is not a GPU UUID ("[N/A]") teaches nothing.</summary>
    public void Learn(string pci, string uuid)
    {
        if (!UuidForm().IsMatch(uuid))
            return;
        var bus = BusId(pci);
        uuid = "GPU-" + uuid[4..].ToLowerInvariant();
        lock (_gate)
        {
            if (!_uuids.ContainsKey(bus))
            {
                if (_uuids.Count >= MaxGpus)
                    _uuids.Remove(_learned.Dequeue());
                _learned.Enqueue(bus);
            }

            _uuids[bus] = uuid;
        }
    }

    /// <summary>The entity of the GPU at <paramref name="pci"/> (either form): <c>0000:3b:00/GPU-…</c> once its UUID is known, else <c>0000:3b:00</c>.</summary>
    public string Name(string pci)
    {
        var bus = BusId(pci);
        lock (_gate)
            return _uuids.TryGetValue(bus, out var uuid) ? $"{bus}/{uuid}" : bus;
    }

    /// <summary>A PCI address in NVRM's form: nvidia-smi's and DCGM's "00000000:3B:00.0" and the kernel's "0000:3b:00.0" are "0000:3b:00".</summary>
    public static string BusId(string pci)
    {
        var text = pci.Trim().ToLowerInvariant();
        var dot = text.LastIndexOf('.');
        if (dot > 0)
            text = text[..dot];
        var parts = text.Split(':');
        return parts.Length == 3 && parts[0].Length > 4 ? $"{parts[0][^4..]}:{parts[1]}:{parts[2]}" : text;
    }

    /// <summary>
    /// What identifies a finding's entity for counting and clearing: a GPU entity's bus id without its UUID (the same
    /// GPU before and after its UUID is known), any other entity unchanged.
    /// </summary>
    public static string? KeyOf(string? entity) =>
        entity is { Length: > 45 } && entity.Contains("/GPU-", StringComparison.Ordinal) && NamedGpu().Match(entity) is { Success: true } gpu
            ? gpu.Groups["bus"].Value
            : entity;

    [GeneratedRegex(@"^GPU-[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex UuidForm();

    [GeneratedRegex(@"^(?<bus>[0-9a-f]{4,8}:[0-9a-f]{2}:[0-9a-f]{2})/GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamedGpu();
}
