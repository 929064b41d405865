using NodeHealth.Actors.Repair.Execution;

namespace NodeHealth.Coordinator.Repair.Reboot;

public static class RebootWiring
{
    /// <summary>Reboots go to the node's agent down its stream (<see cref="AgentRebooter"/>), for repairs and for the operator's endpoint.</summary>
    public static IServiceCollection AddRepairReboot(this IServiceCollection services) =>
        services.AddSingleton<INodeRebooter, AgentRebooter>();
}
