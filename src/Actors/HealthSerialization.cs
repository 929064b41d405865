using Akka.Hosting;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Serialization;

namespace NodeHealth.Actors;

public static class HealthSerialization
{
    /// <summary>Binds every <see cref="IHealthProtocolMessage"/> to <see cref="HealthSerializer"/>; every process calls this.</summary>
    public static AkkaConfigurationBuilder AddHealthSerialization(this AkkaConfigurationBuilder builder) =>
        builder.WithCustomSerializer("node-health", [typeof(IHealthProtocolMessage)], system => new HealthSerializer(system));
}
