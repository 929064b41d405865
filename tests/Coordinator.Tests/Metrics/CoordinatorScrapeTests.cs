using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using NodeHealth.Actors.Metrics;
using NodeHealth.Actors.Repair.Governor;
using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;
using NodeHealth.Contracts.Health;
using NodeHealth.Contracts.Repair;
using NodeHealth.Contracts.Wire;
using NodeHealth.Coordinator.Ingest;
using NodeHealth.Coordinator.Metrics;

namespace NodeHealth.Coordinator.Tests.Metrics;

/// <summary>
/// The coordinator's /metrics (the production exporter wiring, served by Kestrel in-process) after each instrument
/// moved: valid Prometheus text, the documented names with their units and suffixes, and no node label on the
/// high-volume series.
/// </summary>
public sealed class CoordinatorScrapeTests : IAsyncLifetime
{
    private static readonly DateTime T0 = new(2026, 11, 28, 1, 0, 0, DateTimeKind.Utc);

    /// <summary>Every series README.md's Metrics section documents for the coordinator (the agent's are in NodeHost.Tests).</summary>
    public static readonly string[] Documented =
    [
        "node_health_findings_total", "node_health_conditions", "node_health_active_faults", "node_health_nodes", "node_health_agent_silent_seconds",
        "node_health_repairs_started_total", "node_health_repairs_total", "node_health_repair_in_flight", "node_health_repair_decisions",
        "node_health_repair_paused", "node_health_repair_zone_breaker_tripped", "node_health_repair_blocked_seconds", "node_health_repair_pool_nodes",
        "node_health_repair_pool_unhealthy_nodes", "node_health_repair_pool_parallel_limit", "node_health_repair_fleet_parallel_limit",
        "node_health_ingest_findings_total", "node_health_ingest_batches_total", "node_health_ingest_errors_total", "node_health_ingest_streams",
        "node_health_ingest_ack_duration_seconds_bucket", "node_health_kubernetes_request_duration_seconds_bucket", "node_health_kubernetes_request_errors_total",
        "node_health_agent_log_lines_read_total", "process_cpu_seconds_total", "process_resident_memory_bytes",
    ];

    /// <summary>Counted per finding, batch or request: a node label would make a series per node of the fleet.</summary>
    private static readonly string[] HighVolume =
        ["node_health_findings_total", "node_health_ingest_", "node_health_kubernetes_", "node_health_agent_log_", "node_health_active_faults", "node_health_conditions"];

    private WebApplication _app = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton(new MetricsOptions());
        builder.Services.AddSingleton<IngestStreams>();
        builder.Services.AddPrometheusExport();
        _app = builder.Build();
        _app.MapMetrics();
        await _app.StartAsync();
        _http.BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task After_each_instrument_moved_metrics_is_valid_exposition_with_the_documented_names_and_no_node_on_high_volume_series()
    {
        var finding = new Finding("gpu-9", ConditionType.AcceleratedHardwareReady, "NvidiaXID79Error", Severity.Fatal, "fell off the bus", T0, "kmsg", null, "boot-9", 1);
        HealthMetrics.Recorded(new FindingsRecorded("gpu-9", T0, "boot-9", [finding]));
        var faulted = new ConditionState(ConditionType.AcceleratedHardwareReady, ConditionStatus.False, "NvidiaXID79Error", "", T0, [new ActiveFault("NvidiaXID79Error", "", T0, T0, 1)]);
        var silent = new ConditionState(ConditionType.KernelReady, ConditionStatus.Unknown, "AgentNotReporting", "", T0, []);
        FleetMetrics.Publish([new NodeSummary("gpu-9", [faulted], T0), new NodeSummary("quiet-9", [silent], T0)], T0.AddMinutes(2));
        var settings = new RepairGovernorSettings(new RepairPolicyHolder(RepairPolicy.Default), () => throw new InvalidOperationException("not read"), TimeProvider.System);
        var state = GovernorState.Empty
            .Apply(new RepairStarted("gpu-9-r", T0, "gpu-9", "p5", "us-east-1a", "AcceleratedHardwareReady", "NvidiaXID79Error", RepairAction.Replace))
            .Apply(new RepairZoneTripped("us-east-1a", T0, "storm"))
            .Apply(new RepairDecisionRecorded("gpu-8", T0, "p5", "us-east-1a", "AcceleratedHardwareReady", "NvidiaXID79Error", RepairAction.Replace, "Deny", "ZoneStorm",
                false, T0, "rule", "clause", [], new RecordedBudget("p5", 10, 2, "20 %", 1, 1, 1, 10, "us-east-1a", "tripped", "always"), "why"));
        RepairMetrics.Recorded(new RepairEnded("gpu-9-r", T0, "Succeeded", "verified", ""), state.Apply(new RepairEnded("gpu-9-r", T0, "Succeeded", "verified", "")), settings);
        RepairMetrics.Recorded(state.Runs["gpu-9-r"].Started, state, settings);
        IngestMetrics.Acknowledged(new BatchAck("boot-9", 4, 3, 1), IngestMetrics.Now());
        IngestMetrics.Failed(new RpcException(new Status(StatusCode.Unavailable, "persisting took too long")));
        KubernetesRequestMetrics.Record("PATCH", new Uri("https://kube/api/v1/nodes/gpu-9/status"), "500", TimeSpan.FromMilliseconds(120));
        AgentMetrics.Read("kmsg", 10);

        var text = await _http.GetStringAsync("/metrics");
        var samples = Exposition.Parse(text);

        var names = samples.Select(s => s.Name).ToHashSet();
        Assert.All(Documented, name => Assert.True(names.Contains(name), $"/metrics has no {name}:\n{text}"));
        Assert.All(samples.Where(s => HighVolume.Any(prefix => s.Name.StartsWith(prefix, StringComparison.Ordinal))),
            s => Assert.False(s.Labels.ContainsKey("node"), $"{s.Name} carries a node label"));
        Assert.Contains(samples, s => s.Name == "node_health_agent_silent_seconds" && s.Labels.GetValueOrDefault("node") == "quiet-9" && s.Value == 120);
        Assert.Contains(samples, s => s.Name == "node_health_kubernetes_request_errors_total" && s.Labels["resource"] == "nodes/status" && s.Labels["code"] == "500");
        Assert.Contains(samples, s => s.Name == "node_health_repairs_total" && s.Labels["action"] == "Replace" && s.Labels["outcome"] == "Succeeded");
        Assert.Contains(samples, s => s.Name == "node_health_repair_blocked_seconds" && s.Labels["node"] == "gpu-8" && s.Labels["denial"] == "ZoneStorm");
    }

    [Fact]
    public async Task A_node_no_longer_silent_leaves_metrics_while_a_cleared_fault_reads_zero()
    {
        var silent = new ConditionState(ConditionType.KernelReady, ConditionStatus.Unknown, "AgentNotReporting", "", T0, []);
        var faulted = new ConditionState(ConditionType.StorageReady, ConditionStatus.False, "XfsShutdownTest", "", T0, [new ActiveFault("XfsShutdownTest", "", T0, T0, 1)]);
        FleetMetrics.Publish([new NodeSummary("back-7", [silent, faulted], T0)], T0.AddMinutes(1));
        var before = Exposition.Parse(await _http.GetStringAsync("/metrics"));
        var healthy = new ConditionState(ConditionType.KernelReady, ConditionStatus.True, "KernelIsReady", "", T0, []);
        FleetMetrics.Publish([new NodeSummary("back-7", [healthy], T0)], T0.AddMinutes(2));

        var after = Exposition.Parse(await _http.GetStringAsync("/metrics"));

        Assert.Contains(before, s => s.Name == "node_health_agent_silent_seconds" && s.Labels["node"] == "back-7");
        Assert.DoesNotContain(after, s => s.Name == "node_health_agent_silent_seconds" && s.Labels.GetValueOrDefault("node") == "back-7");
        Assert.Equal(0, after.Single(s => s.Name == "node_health_active_faults" && s.Labels["reason"] == "XfsShutdownTest").Value);
    }

    [Fact]
    public void The_exposition_reader_refuses_what_Prometheus_would()
    {
        Assert.Throws<FormatException>(() => Exposition.Parse("node_health_nodes 3\n"));
        Assert.Throws<FormatException>(() => Exposition.Parse("# TYPE requests counter\nrequests 3\n"));
        Assert.Throws<FormatException>(() => Exposition.Parse("# TYPE x gauge\nx{node=\"a\"b\"} 1\n"));
        Assert.Throws<FormatException>(() => Exposition.Parse("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n"));
    }
}
