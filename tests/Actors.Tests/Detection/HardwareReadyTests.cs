using NodeHealth.Actors.Detection;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Tests.Detection;

public sealed class HardwareReadyTests
{
    [Fact]
    public void The_built_in_catalog_names_the_ready_reason_of_each_accelerator()
    {
        var condition = CatalogLoader.LoadBuiltIn().Definition(ConditionType.AcceleratedHardwareReady)!;

        Assert.Equal("NvidiaGPUIsReady", condition.ReadyFor("nvidia").ReadyReason);
        Assert.Contains("Nvidia", condition.ReadyFor("nvidia").ReadyMessage); // EKS's end-to-end tests look for it.
        Assert.Equal("NeuronAcceleratedHardwareIsReady", condition.ReadyFor("neuron").ReadyReason);
        Assert.Equal("NvidiaGPUIsReady", condition.ReadyFor("gaudi").ReadyReason); // Unnamed hardware: the condition's own.
    }

    [Fact]
    public void A_bad_hardware_name_is_refused_naming_the_condition()
    {
        var error = Assert.Throws<CatalogException>(() => CatalogLoader.Parse("ops.yaml", """
            conditions:
              - type: AcceleratedHardwareReady
                hardware:
                  - { name: 'Nvidia GPU', readyReason: NvidiaGPUIsReady }
            """));

        Assert.Contains("ops.yaml: condition AcceleratedHardwareReady has a hardware entry whose name 'Nvidia GPU'", error.Message);
    }
}
