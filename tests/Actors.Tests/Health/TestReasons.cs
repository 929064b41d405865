using NodeHealth.Actors.Detection;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Tests.Health;

/// <summary>The coordinator's catalog in the entity tests: the built-in one plus made-up reasons of every severity and recovery mode.</summary>
internal static class TestReasons
{
    public static readonly TimeSpan QuietFor = TimeSpan.FromMinutes(30);

    public static readonly ReasonCatalog Catalog = CatalogLoader.Parse("test-reasons.yaml", """
        conditions:
          - type: KernelReady
            reasons:
              - { reason: KernelNote, severity: Info, source: kmsg, match: 'note' }
              - { reason: KernelPanic, severity: Fatal, source: kmsg, match: 'panic', recovery: manual }
              - { reason: DiskDead, severity: Fatal, source: kmsg, match: 'disk dead', recovery: manual, repair: Replace }
              - { reason: GpuFellOff, severity: Fatal, source: kmsg, match: 'fell off', recovery: reboot, repair: Reboot }
              - { reason: LinkFlapping, severity: Fatal, source: kmsg, match: 'flapping', recovery: quiet, quietFor: 30m }
              - { reason: LinkBlip, severity: Fatal, source: kmsg, match: 'blip', recovery: quiet, quietFor: 1s }
          - type: StorageReady
            reasons:
              - { reason: FilesystemReadOnly, severity: Fatal, source: probe-mounts, recovery: probe }
        """);
}
