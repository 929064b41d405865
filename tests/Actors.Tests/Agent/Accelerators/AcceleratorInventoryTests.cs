using NodeHealth.Actors.Agent.Accelerators;
using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Actors.Tests.Agent.Networking;

namespace NodeHealth.Actors.Tests.Agent.Accelerators;

public sealed class AcceleratorInventoryTests : IDisposable
{
    private readonly SysfsTree _host = new();

    public void Dispose() => _host.Dispose();

    private AcceleratorInventory Read() => AcceleratorInventory.Of(PciDeviceList.Read(new RootedHostFiles(_host.Root))!);

    [Fact]
    public void Nvidia_gpus_and_nvswitches_are_found_by_vendor_and_class_and_named_by_nvrm_bus_id()
    {
        PciTree.Device(_host, "0000:53:00.0", "0x10de", "0x2330", "0x030200"); // H100 SXM, 3D controller.
        PciTree.Device(_host, "0000:05:00.0", "0x10de", "0x22a3", "0x068000"); // H100 NVSwitch, bridge.
        PciTree.Device(_host, "0000:00:05.0", "0x1d0f", "0xec20", "0x020000"); // ENA: Amazon's vendor id, not an accelerator.

        var inventory = Read();

        Assert.Equal(AcceleratorKind.Nvidia, inventory.Kind);
        Assert.Equal(new[] { "0000:53:00" }, inventory.NvidiaGpus.ToArray());
        Assert.Equal(new[] { "0000:05:00" }, inventory.NvSwitches.ToArray());
        Assert.Equal("1 NVIDIA GPU (0000:53:00) and 1 NVSwitch", inventory.Describe());
    }

    [Fact]
    public void Neuron_devices_are_found_by_amazon_vendor_and_neuron_device_id()
    {
        PciTree.Device(_host, "0000:10:1c.0", "0x1d0f", "0x7164", "0x058000"); // Trainium1.
        PciTree.Device(_host, "0000:00:1f.0", "0x1d0f", "0x8061", "0x010802"); // EBS NVMe.

        var inventory = Read();

        Assert.Equal(AcceleratorKind.Neuron, inventory.Kind);
        Assert.Equal(new[] { "0000:10:1c" }, inventory.NeuronDevices.ToArray());
    }

    [Fact]
    public void A_node_with_neither_and_garbled_sysfs_files_has_no_accelerator()
    {
        PciTree.Device(_host, "0000:00:03.0", "0x1d0f", "0x1111", "0x030000"); // The EC2 VGA console.
        PciTree.Device(_host, "0000:00:04.0", "10de", "", "garbage");

        Assert.Equal(AcceleratorKind.None, Read().Kind);
    }
}

/// <summary>PCI functions in a fake HOST_ROOT as sysfs shows them (the layout X's end-to-end test uses too).</summary>
internal static class PciTree
{
    public static SysfsTree Device(SysfsTree host, string address, string vendor, string device, string @class) =>
        host.Write($"/sys/bus/pci/devices/{address}/vendor", vendor + "\n")
            .Write($"/sys/bus/pci/devices/{address}/device", device + "\n")
            .Write($"/sys/bus/pci/devices/{address}/class", @class + "\n");

    public static SysfsTree EightH100s(SysfsTree host)
    {
        foreach (var busId in RecordedOutputs.EightBusIds)
            Device(host, busId + ".0", "0x10de", "0x2330", "0x030200");
        return host;
    }
}
