using Akka.Actor;
using Akka.Configuration;
using NodeHealth.Actors.Detection;
using NodeHealth.Actors.Detection.Reload;
using NodeHealth.Actors.Health;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;
using NodeHealth.Contracts.Wire;

namespace NodeHealth.Actors.Tests.Health;

/// <summary>The coordinator's entities read the catalog the watcher swaps: a reloaded reason means what the new file says.</summary>
public sealed class CatalogSwapTests() : Akka.TestKit.Xunit2.TestKit(Config)
{
    private const string Node = "node-a";
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(3);

    private static readonly Config Config = ConfigurationFactory.ParseString("""
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """);

    private static Finding OperatorFault(long sequence) =>
        new(Node, ConditionType.KernelReady, "OperatorFault", Severity.Fatal, "operator fault", DateTime.UtcNow, "kmsg", null, "run-1", sequence);

    private static async Task<ConditionState> KernelAfter(IActorRef entity, Finding finding)
    {
        await entity.Ask<BatchAck>(new RecordFindings(Node, "run-1", [finding]), AskTimeout);
        var state = await entity.Ask<NodeHealthState>(new GetNodeHealth(Node), AskTimeout);
        return state.Conditions.Single(c => c.Type == ConditionType.KernelReady);
    }

    [Fact]
    public async Task Reason_added_by_a_reloaded_catalog_holds_its_condition_from_the_next_finding()
    {
        var catalogs = new CatalogHolder(CatalogLoader.LoadBuiltIn());
        var entity = Sys.ActorOf(Props.Create(() => new NodeHealthEntity(Node, new NodeHealthSettings(catalogs.Current, TimeProvider.System) { Catalogs = catalogs })));
        await entity.Ask<MonitorsAck>(new ReportMonitors(Node, [new MonitorStatus(ConditionType.KernelReady, MonitorState.Active, "KernelIsReady", "watching")]), AskTimeout);

        var before = await KernelAfter(entity, OperatorFault(1));
        catalogs.Accept(CatalogLoader.Parse("ops.yaml", """
            conditions:
              - type: KernelReady
                reasons:
                  - { reason: OperatorFault, severity: Fatal, source: kmsg, match: 'operator fault', recovery: manual }
            """), "v2");
        var after = await KernelAfter(entity, OperatorFault(2));

        Assert.Equal(ConditionStatus.True, before.Status); // Unknown to the catalog then: recorded as a warning.
        Assert.Equal((ConditionStatus.False, "OperatorFault"), (after.Status, after.Reason));
    }
}
