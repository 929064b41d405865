using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodeHealth.Actors;

namespace NodeHealth.Contracts.Tests;

/// <summary>An ActorSystem wired exactly as every node-health process wires serialization (<see cref="HealthSerialization.AddHealthSerialization"/>).</summary>
public sealed class ProductionSerialization : IAsyncLifetime
{
    private IHost _host = null!;

    public Akka.Serialization.Serialization Serialization { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddAkka("contracts", (akka, _) => akka.AddHealthSerialization());
        _host = builder.Build();
        await _host.StartAsync();
        Serialization = _host.Services.GetRequiredService<ActorSystem>().Serialization;
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
