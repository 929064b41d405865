using System.Collections.Immutable;
using System.Globalization;
using NodeHealth.Actors.Agent.Probes;

namespace NodeHealth.Actors.Agent.Accelerators;

/// <summary>One PCI function as sysfs shows it: <c>/sys/bus/pci/devices/&lt;address&gt;/{vendor,device,class}</c>.</summary>
public sealed record PciDevice(string Address, int Vendor, int Device, int Class)
{
    /// <summary>The GPU's bus id as NVRM prints it in XID lines (<c>0000:3b:00</c>): the address without its function.</summary>
    public string BusId => Address.LastIndexOf('.') is var dot and > 0 ? Address[..dot] : Address;
}

/// <summary>Which accelerator hardware a node has; its name selects the condition's ready reason in the catalog.</summary>
public enum AcceleratorKind
{
    None = 0,
    Nvidia = 1,
    Neuron = 2,
}

/// <summary>
/// The accelerators in a node's PCI device list, pure: NVIDIA GPUs (vendor 0x10de, display class 0x03xxxx),
/// NVSwitches (vendor 0x10de, bridge class 0x0680xx: Fabric Manager must run) and AWS Neuron devices (vendor
/// 0x1d0f with the Neuron driver's device ids; the vendor alone is also ENA's, EFA's and EBS's).
/// </summary>
public sealed record AcceleratorInventory(ImmutableArray<string> NvidiaGpus, ImmutableArray<string> NvSwitches, ImmutableArray<string> NeuronDevices)
{
    public const int NvidiaVendor = 0x10de;
    public const int AmazonVendor = 0x1d0f;

    /// <summary>Inferentia1 0x7064-0x7067, Trainium1 0x7164, Inferentia2 0x7264, Trainium2 0x7364, Trainium3 0x7564/0x7565 (aws-neuron-driver's id table).</summary>
    public static readonly IReadOnlySet<int> NeuronDeviceIds = new HashSet<int> { 0x7064, 0x7065, 0x7066, 0x7067, 0x7164, 0x7264, 0x7364, 0x7564, 0x7565 };

    public static readonly AcceleratorInventory Empty = new([], [], []);

    public AcceleratorKind Kind => NvidiaGpus.Length > 0 ? AcceleratorKind.Nvidia : NeuronDevices.Length > 0 ? AcceleratorKind.Neuron : AcceleratorKind.None;

    public static AcceleratorInventory Of(IEnumerable<PciDevice> devices)
    {
        var list = devices.OrderBy(d => d.Address, StringComparer.Ordinal).ToList();
        return new AcceleratorInventory(
            [.. list.Where(d => d.Vendor == NvidiaVendor && d.Class >> 16 == 0x03).Select(d => d.BusId)],
            [.. list.Where(d => d.Vendor == NvidiaVendor && d.Class >> 8 == 0x0680).Select(d => d.BusId)],
            [.. list.Where(d => d.Vendor == AmazonVendor && NeuronDeviceIds.Contains(d.Device)).Select(d => d.BusId)]);
    }

    /// <summary>What a monitor status says of it ("8 NVIDIA GPUs (0000:10:1c ...), 4 NVSwitches").</summary>
    public string Describe() => Kind switch
    {
        AcceleratorKind.Nvidia => $"{Count(NvidiaGpus.Length, "NVIDIA GPU")} ({string.Join(", ", NvidiaGpus)})"
            + (NvSwitches.Length > 0 ? $" and {Count(NvSwitches.Length, "NVSwitch", "NVSwitches")}" : ""),
        AcceleratorKind.Neuron => $"{Count(NeuronDevices.Length, "AWS Neuron device")} ({string.Join(", ", NeuronDevices)})",
        _ => "no NVIDIA GPU and no AWS Neuron device",
    };

    private static string Count(int n, string one, string? many = null) => n == 1 ? $"1 {one}" : $"{n} {many ?? one + "s"}";
}

/// <summary>Reads the PCI device list under HOST_ROOT.</summary>
public static class PciDeviceList
{
    public const string Directory = "/sys/bus/pci/devices";

    /// <summary>Every function whose vendor, device and class read as hex; null when there is no PCI list at all.</summary>
    public static IReadOnlyList<PciDevice>? Read(IHostFiles host)
    {
        if (host.List(Directory) is not { } addresses)
            return null;
        var devices = new List<PciDevice>();
        foreach (var address in addresses)
        {
            var path = $"{Directory}/{address}";
            if (Hex(host.ReadText($"{path}/vendor")) is { } vendor && Hex(host.ReadText($"{path}/device")) is { } device
                && Hex(host.ReadText($"{path}/class")) is { } @class)
                devices.Add(new PciDevice(address, vendor, device, @class));
        }

        return devices;
    }

    /// <summary>sysfs writes "0x10de\n"; anything else (an empty or garbled file) is not a device we can name.</summary>
    public static int? Hex(string? text) =>
        text?.Trim() is { Length: > 2 and <= 10 } t && t.StartsWith("0x", StringComparison.Ordinal)
        && int.TryParse(t.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}
