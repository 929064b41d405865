using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using NodeHealth.Deployment.Tests.Support;
using YamlDotNet.Serialization;

namespace NodeHealth.Deployment.Tests;

/// <summary>
/// k8s/monitoring: the alerts fire on the series they are about and stay quiet on harmless ones (promtool's rule
/// tests), and the alerts and the dashboard use only metrics the README documents (and the programs' scrape tests pin).
/// </summary>
public sealed partial class MonitoringTests
{
    private const string Monitoring = "k8s/monitoring";

    [Fact]
    public void The_monitoring_kustomization_renders_the_rules_the_pod_monitors_and_the_dashboard()
    {
        var rendered = Overlay.Kustomize(Repository.PathOf(Monitoring));

        Assert.Contains("kind: PrometheusRule", rendered);
        Assert.Equal(2, Regex.Matches(rendered, "kind: PodMonitor").Count);
        Assert.Contains("name: node-health-grafana-dashboard", rendered);
        Assert.Contains("grafana_dashboard: \"1\"", rendered);
    }

    [Fact]
    public void Every_alert_fires_on_recorded_series_and_stays_quiet_on_harmless_ones()
    {
        var directory = Directory.CreateTempSubdirectory("nh-promtool-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "rules.yaml"), RuleGroups());
            File.Copy(Repository.PathOf($"{Monitoring}/tests/alerts.test.yaml"), Path.Combine(directory.FullName, "alerts.test.yaml"));

            var (exit, output) = Promtool(directory.FullName, "test", "rules", "alerts.test.yaml");

            Assert.True(exit == 0, $"promtool test rules failed ({exit}):\n{output}");
            Assert.Contains("SUCCESS", output);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Every_alert_rule_is_tested()
    {
        var tests = Repository.Read($"{Monitoring}/tests/alerts.test.yaml");
        var alerts = AlertName().Matches(Repository.Read($"{Monitoring}/prometheusrule.yaml")).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(5, alerts.Count);
        Assert.All(alerts, alert => Assert.Contains($"alertname: {alert}", tests));
    }

    [Fact]
    public void The_dashboard_queries_and_the_alerts_use_only_documented_metrics()
    {
        var readme = Repository.Read("README.md");
        var metricsSection = readme[readme.IndexOf("## Metrics", StringComparison.Ordinal)..];
        var dashboard = JsonDocument.Parse(Repository.Read($"{Monitoring}/dashboards/node-health.json"));
        var expressions = Targets(dashboard.RootElement).ToList();

        Assert.NotEmpty(expressions);
        var used = expressions.Append(Repository.Read($"{Monitoring}/prometheusrule.yaml"))
            .SelectMany(text => MetricName().Matches(text).Select(m => HistogramSeries().Replace(m.Value, "")))
            .ToHashSet(StringComparer.Ordinal);
        Assert.All(used, name => Assert.True(metricsSection.Contains($"`{name}`", StringComparison.Ordinal),
            $"{name} is queried by k8s/monitoring but not documented in README.md's Metrics section"));
    }

    /// <summary>The PrometheusRule's spec (its rule groups) in Prometheus's own rule file format.</summary>
    private static string RuleGroups()
    {
        var rule = new DeserializerBuilder().Build().Deserialize<Dictionary<string, object>>(Repository.Read($"{Monitoring}/prometheusrule.yaml"));
        Assert.Equal("PrometheusRule", rule["kind"]);
        return new SerializerBuilder().Build().Serialize(rule["spec"]);
    }

    private static IEnumerable<string> Targets(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
                if (property.Name == "expr" && property.Value.ValueKind == JsonValueKind.String)
                    yield return property.Value.GetString()!;
                else
                    foreach (var nested in Targets(property.Value))
                        yield return nested;
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
                foreach (var nested in Targets(item))
                    yield return nested;
        }
    }

    private static (int Exit, string Output) Promtool(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("promtool") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"promtool is not installed ({e.Message}): the alert rules are tested with `promtool test rules` (Debian: apt-get install prometheus; scripts/test installs it)", e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(60_000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("promtool test rules did not finish within 60 s");
            }

            return (process.ExitCode, output.Result + error.Result);
        }
    }

    [GeneratedRegex(@"- alert: (\w+)")]
    private static partial Regex AlertName();

    [GeneratedRegex(@"\b(node_health|process)_[a-z_]+")]
    private static partial Regex MetricName();

    [GeneratedRegex("_(bucket|count|sum)$")]
    private static partial Regex HistogramSeries();
}
