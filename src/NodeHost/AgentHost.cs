using System.Reflection;
using Akka.Event;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodeHealth.Actors;
using NodeHealth.Actors.Agent;
using NodeHealth.Actors.Agent.ContainerRuntime;
using NodeHealth.Actors.Agent.Logs;
using NodeHealth.Actors.Agent.Networking;
using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Actors.Agent.Storage;
using NodeHealth.Actors.Detection.Probes;
using NodeHealth.Actors.Detection.Reload;
using NodeHealth.Actors.Detection;
using NodeHealth.NodeHost.ContainerRuntime;
using NodeHealth.NodeHost.Logs;
using NodeHealth.NodeHost.Probes;
using NodeHealth.NodeHost.Uplink;

namespace NodeHealth.NodeHost;

/// <summary>The agent as a host: its own local ActorSystem (no remoting) and the host adapters.</summary>
public static class AgentHost
{
    public static string Version { get; } =
        typeof(AgentHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>A standalone agent host, as the all-in-one coordinator runs it next to itself.</summary>
    public static IHost Build(AgentOptions options)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);
        builder.Services.AddNodeHealthAgent(options);
        return builder.Build();
    }

    /// <summary>Registers the agent; throws <see cref="Contracts.Catalog.CatalogException"/> for a bad catalog file.</summary>
    public static IServiceCollection AddNodeHealthAgent(this IServiceCollection services, AgentOptions options)
    {
        var catalogs = CatalogHolder.Load(options.CatalogFiles, CatalogLoader.Load);
        var catalog = catalogs.Current;
        var host = HostPaths.FromEnvironment();
        var sourceProblems = new List<string>();
        var logs = LogSources.For(options, host, catalog, sourceProblems);
        var transport = new FailoverUplinkTransport(options.ResolvedCoordinatorUrls(), options.ResolvedToken(), options.ResolvedTrust());
        var settings = new AgentSettings(options.ResolvedNodeName()!, Version, options.StateDirectory, catalog, host.BootId() ?? "")
        {
            HeartbeatInterval = options.HeartbeatInterval,
            ReconnectMaxBackoff = options.ReconnectMaxBackoff,
            Storage = new StorageMonitorSettings
            {
                MountsInterval = options.MountsInterval,
                CriticalDirectories = options.CriticalDirectories.Count > 0 ? options.CriticalDirectories : ReadOnlyFilesystemWatch.DefaultCriticalDirectories,
            },
            HostRoot = host.Root,
            Networking = new NetworkingSettings
            {
                ExcludedInterfaces = options.ExcludedInterfaces ?? InterfaceCheck.DefaultExclusions,
                AllowedFirewallChains = options.AllowedFirewallChains.ToHashSet(StringComparer.Ordinal),
            },
            Kernel = new LogMonitorSettings { Catalogs = catalogs },
            ContainerRuntime = new ContainerRuntimeSettings
            {
                CriSocket = options.CriSocket,
                RestartUnits = [.. ContainerRuntimeSettings.DefaultRestartUnits, .. options.RestartUnits],
            },
            Accelerators = options.Accelerators.ToSettings(),
            Reboot = options.Reboot.ToSettings(),
        };
        var probeHost = new ProbeHost(new RootedHostFiles(host.Root), MountsProbe.MountInfoPathFor(host.Root), new Adjtimex(), new NvmeAdminIoctl(host.Resolve), new ChrootHostCommands(host))
        {
            Runtime = new CriRuntimeStatusSource(host.Resolve(options.CriSocket), host.Root == "/" ? options.CriSocket : $"{options.CriSocket} under {host.Root}"),
        };

        services.AddSingleton(transport);
        services.AddAkka("node-health-agent", (builder, _) => builder
            .ConfigureLoggers(loggers => loggers.AddAkkaLogBridge())
            // Akka's default 10 ms scheduler tick alone costs ~60 millicores on an idle node. The agent's timers
            // (reconnect backoff, cursor checkpoints, retrying an unreadable log) need no better than a second;
            // nothing on the fault path waits for a timer.
            .AddHocon("akka.scheduler.tick-duration = 1s", HoconAddMode.Prepend)
            .AddHealthSerialization()
            .AddNodeAgent(settings, logs, transport, TimeProvider.System, probeHost)
            .AddCatalogReload(catalogs, options.CatalogFiles)
            .WithActors((system, _) =>
            {
                foreach (var problem in sourceProblems)
                    system.Log.Warning("Log sources: {0}", problem);
            }));
        return services;
    }
}
