using System.Globalization;
using System.Text.RegularExpressions;
using k8s.Models;
using NodeHealth.Coordinator;
using NodeHealth.Coordinator.Kubernetes;
using NodeHealth.Deployment.Tests.Support;

namespace NodeHealth.Deployment.Tests;

/// <summary>The coordinator StatefulSet, its Services and its disruption budget (issue 12, "Kubernetes manifests").</summary>
public sealed partial class CoordinatorManifestTests
{
    [Theory]
    [MemberData(nameof(Overlay.Paths), MemberType = typeof(Overlay))]
    public void Three_coordinators_seed_from_each_others_stable_names_on_the_fixed_akka_port(string path)
    {
        var overlay = Overlay.Of(path);
        var set = overlay.Coordinators;
        var options = CoordinatorOptions.Bind(PodEnvironment.Of(overlay.Coordinator).Configuration());
        var peers = overlay.Single<V1Service>(set.Spec.ServiceName);

        Assert.Equal(3, set.Spec.Replicas);
        Assert.Equal("None", peers.Spec.ClusterIP);
        Assert.True(peers.Spec.PublishNotReadyAddresses, "the seeds' DNS names must resolve before the coordinators are ready");
        Assert.NotEqual(0, options.AkkaPort);
        Assert.Equal(options.AkkaPort, Port(overlay.Coordinator, "akka"));
        Assert.Equal(options.AkkaPort, peers.Spec.Ports.Single(p => p.Name == "akka").Port);
        var expectedSeeds = Enumerable.Range(0, set.Spec.Replicas!.Value)
            .Select(i => $"akka.tcp://node-health@{set.Metadata.Name}-{i}.{peers.Metadata.Name}:{options.AkkaPort}");
        Assert.Equal(expectedSeeds, options.SeedNodes);
        Assert.Equal($"{PodEnvironment.SamplePod}.{peers.Metadata.Name}", options.AkkaPublicHostname);
        Assert.Equal("0.0.0.0", options.AkkaHostname);
    }

    [Theory]
    [MemberData(nameof(Overlay.Paths), MemberType = typeof(Overlay))]
    public void The_pods_settings_pass_the_coordinators_own_validation(string path)
    {
        var overlay = Overlay.Of(path);
        var configuration = PodEnvironment.Of(overlay.Coordinator).Configuration();

        var options = CoordinatorOptions.Bind(configuration);

        Assert.Empty(ProvidedFiles.Unexplained(options.Validate(), overlay.Coordinator, overlay.Coordinators.Spec.Template.Spec));
        Assert.Empty(KubernetesOptions.Bind(configuration).Validate());
        Assert.False(options.InProcessAgent);
        Assert.Equal("0.0.0.0", options.ListenAddress);
    }

    [Theory]
    [MemberData(nameof(Overlay.Paths), MemberType = typeof(Overlay))]
    public void The_journal_is_PostgreSQL_with_its_connection_string_from_a_secret(string path)
    {
        var coordinator = Overlay.Of(path).Coordinator;

        Assert.Equal(PersistenceProvider.PostgreSql, CoordinatorOptions.Bind(PodEnvironment.Of(coordinator).Configuration()).Persistence);
        var connection = coordinator.Env.Single(e => e.Name == "Coordinator__ConnectionString");
        Assert.Null(connection.Value);
        Assert.Equal(("node-health-postgres", "connection-string"), (connection.ValueFrom.SecretKeyRef.Name, connection.ValueFrom.SecretKeyRef.Key));
    }

    [Theory]
    [MemberData(nameof(Overlay.Paths), MemberType = typeof(Overlay))]
    public void The_agents_and_the_API_reach_every_ready_coordinator_through_one_headless_service(string path)
    {
        var overlay = Overlay.Of(path);
        var service = overlay.Single<V1Service>("node-health-coordinator");
        var options = CoordinatorOptions.Bind(PodEnvironment.Of(overlay.Coordinator).Configuration());

        Assert.Equal("None", service.Spec.ClusterIP); // the name resolves to every ready coordinator: the agents fail over between them
        Assert.True(service.Spec.PublishNotReadyAddresses is null or false, "agents and API clients must reach ready coordinators only");
        Assert.Equal(overlay.Coordinators.Spec.Selector.MatchLabels, service.Spec.Selector);
        Assert.Equal(options.HttpPort, Port(overlay.Coordinator, service.Spec.Ports.Single(p => p.Name == "http").TargetPort.Value));
        Assert.Equal(options.GrpcPort, Port(overlay.Coordinator, service.Spec.Ports.Single(p => p.Name == "grpc").TargetPort.Value));
        var agentUrl = new Uri(PodEnvironment.Of(overlay.Agent)["Agent__CoordinatorUrl"]!);
        Assert.StartsWith($"{service.Metadata.Name}.{service.Metadata.NamespaceProperty}.", agentUrl.Host + ".");
        Assert.Equal(service.Spec.Ports.Single(p => p.Name == "grpc").Port, agentUrl.Port);
    }

    [Theory]
    [MemberData(nameof(Overlay.Paths), MemberType = typeof(Overlay))]
    public void Readiness_and_liveness_ask_the_endpoints_the_coordinator_maps_on_its_http_port(string path)
    {
        var overlay = Overlay.Of(path);
        var coordinator = overlay.Coordinator;
        var mapped = MappedPaths();
        var httpPort = CoordinatorOptions.Bind(PodEnvironment.Of(coordinator).Configuration()).HttpPort;

        Assert.Equal("/readyz", coordinator.ReadinessProbe.HttpGet.Path);
        Assert.Equal("/healthz", coordinator.LivenessProbe.HttpGet.Path);
        foreach (var probe in new[] { coordinator.ReadinessProbe, coordinator.LivenessProbe, coordinator.StartupProbe }.Where(p => p is not null))
        {
            Assert.Contains(probe.HttpGet.Path, mapped);
            Assert.Equal(httpPort, Port(coordinator, probe.HttpGet.Port.Value));
        }
    }

    [Theory]
    [MemberData(nameof(Overlay.Paths), MemberType = typeof(Overlay))]
    public void At_most_one_coordinator_is_disrupted_at_a_time(string path)
    {
        var overlay = Overlay.Of(path);
        var budget = overlay.All<V1PodDisruptionBudget>().Single();

        Assert.Equal("1", budget.Spec.MaxUnavailable.Value);
        Assert.Null(budget.Spec.MinAvailable);
        Assert.Equal(overlay.Coordinators.Spec.Selector.MatchLabels, budget.Spec.Selector.MatchLabels);
    }

    [Theory]
    [MemberData(nameof(Overlay.Paths), MemberType = typeof(Overlay))]
    public void Termination_grace_covers_the_measured_graceful_leave(string path)
    {
        var grace = Overlay.Of(path).Coordinators.Spec.Template.Spec.TerminationGracePeriodSeconds;
        var benchmarks = Repository.Read("docs/benchmarks.md");
        var row = GracefulLeave().Match(benchmarks);
        Assert.True(row.Success, "docs/benchmarks.md has no 'Graceful leave (SIGTERM)' row with 'exits 0 in **N s**' to size the grace period from");
        var measured = double.Parse(row.Groups[1].Value, CultureInfo.InvariantCulture);

        Assert.NotNull(grace);
        Assert.True(grace >= measured, $"terminationGracePeriodSeconds {grace} is shorter than the measured graceful leave ({measured} s)");
        // The .NET host stops waiting for its services after 30 s; the kubelet must not kill it sooner.
        Assert.True(grace > 30, $"terminationGracePeriodSeconds {grace} must exceed the .NET host's 30 s shutdown timeout");
    }

    [Theory]
    [MemberData(nameof(Overlay.Paths), MemberType = typeof(Overlay))]
    public void The_coordinator_runs_as_non_root_on_a_read_only_root_with_writable_volumes_where_it_writes(string path)
    {
        var overlay = Overlay.Of(path);
        var pod = overlay.Coordinators.Spec.Template.Spec;
        var container = overlay.Coordinator;
        var options = CoordinatorOptions.Bind(PodEnvironment.Of(container).Configuration());

        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.NotEqual(0, pod.SecurityContext.RunAsUser);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        Assert.Null(container.SecurityContext.Capabilities.Add);
        foreach (var writable in new[] { options.DataDirectory, "/tmp" })
        {
            var mount = container.VolumeMounts.SingleOrDefault(m => m.MountPath == writable);
            Assert.True(mount is not null && mount.ReadOnlyProperty is null or false, $"{writable} is written by the coordinator: mount a writable volume there");
            Assert.NotNull(pod.Volumes.Single(v => v.Name == mount!.Name).EmptyDir);
        }
    }

    private static HashSet<string> MappedPaths() =>
        [.. Directory.EnumerateFiles(Repository.PathOf("src/Coordinator/Api"), "*.cs")
            .SelectMany(f => MapGet().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))];

    private static int Port(V1Container container, string nameOrNumber) =>
        int.TryParse(nameOrNumber, out var number) ? number
        : container.Ports.SingleOrDefault(p => p.Name == nameOrNumber)?.ContainerPort
          ?? throw new InvalidOperationException($"container {container.Name} has no port named {nameOrNumber}");

    [GeneratedRegex(@"MapGet\(""(/[^""]*)""")]
    private static partial Regex MapGet();

    [GeneratedRegex(@"\| Graceful leave \(SIGTERM\)[^\n]*exits 0 in \*\*([0-9.]+) s\*\*")]
    private static partial Regex GracefulLeave();
}
