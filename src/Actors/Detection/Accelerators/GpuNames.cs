using System.Text.RegularExpressions;

namespace NodeHealth.Actors.Detection.Accelerators;

/// <summary>
/// How one kernel-log source names the GPUs of its findings: it teaches the agent's <see cref="GpuIdentities"/> the UUID
/// of each PCI bus id from "NVRM: GPU at PCI:0000:3b:00: GPU-…" lines (printed when the driver loads), names GPUs through
/// that map (so a UUID nvidia-smi or DCGM told is used too), and remembers the GPU the last "NVRM: The NVIDIA GPU
/// 0000:3b:00.0" line named (the split "fallen off the bus" message names it only there). Lives in the source's
/// <see cref="DetectionEngine"/>, so each reader has its own last-named GPU; the map is the agent's.
/// </summary>
internal sealed partial class GpuNames(GpuIdentities identities)
{
    /// <summary>How many lines after "The NVIDIA GPU …" a line without its own bus id may still mean that GPU.</summary>
    public const int NamedLinesAgo = 4;

    private string? _lastNamed;
    private long _lastNamedLine;

    /// <summary>Learns from one line; cheap for lines that are not NVRM's (one vectorized search).</summary>
    public void Learn(ReadOnlySpan<char> text, long line)
    {
        var at = text.IndexOf("NVRM: ", StringComparison.Ordinal);
        if (at < 0)
            return;
        var rest = text[(at + 6)..];
        if (rest.StartsWith("GPU at PCI:", StringComparison.Ordinal) && GpuAt().Match(text[at..].ToString()) is { Success: true } gpu)
            identities.Learn(gpu.Groups["pci"].Value, gpu.Groups["uuid"].Value);
        else if (rest.StartsWith("The NVIDIA GPU ", StringComparison.Ordinal) && TheGpu().Match(text[at..].ToString()) is { Success: true } named)
            (_lastNamed, _lastNamedLine) = (named.Groups["pci"].Value, line);
    }

    /// <summary>
    /// The GPU entity for a finding whose rule named <paramref name="pci"/> (empty when its line did not name one):
    /// the bus id, with its UUID once known (<c>0000:3b:00/GPU-…</c>, see <see cref="GpuIdentities.Name"/>).
    /// </summary>
    public string? Name(string? pci, long line)
    {
        if (string.IsNullOrEmpty(pci))
            pci = _lastNamed is not null && line - _lastNamedLine <= NamedLinesAgo ? _lastNamed : null;
        return pci is null ? null : identities.Name(pci);
    }

    [GeneratedRegex(@"^NVRM: GPU at PCI:(?<pci>[0-9a-fA-F]{4,8}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2})(?:\.[0-7])?: (?<uuid>GPU-[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})", RegexOptions.CultureInvariant)]
    private static partial Regex GpuAt();

    [GeneratedRegex(@"^NVRM: The NVIDIA GPU (?<pci>[0-9a-fA-F]{4,8}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2})\.[0-7]", RegexOptions.CultureInvariant)]
    private static partial Regex TheGpu();
}
