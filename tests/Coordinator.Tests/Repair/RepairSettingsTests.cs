using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;
using NodeHealth.Contracts.Repair;
using NodeHealth.Coordinator.Repair;

namespace NodeHealth.Coordinator.Tests.Repair;

public sealed class RepairSettingsTests
{
    [Fact]
    public void Defaults_are_dry_run_deciding_every_30_seconds()
    {
        var (mode, every, timings, errors) = new RepairOptions().Resolve(kubernetesConnected: false);

        Assert.Empty(errors);
        Assert.Equal((RepairMode.DryRun, TimeSpan.FromSeconds(30)), (mode, every));
        Assert.Equal((TimeSpan.FromMinutes(15), (TimeSpan?)null, TimeSpan.FromMinutes(15)), (timings.Drain.Timeout, timings.Drain.DeleteGracePeriod, timings.VerifyTimeout));
    }

    [Theory]
    [InlineData("off", "1m", RepairMode.Off, 60)]
    [InlineData("DryRun", "00:00:10", RepairMode.DryRun, 10)]
    public void Mode_and_interval_are_read_as_people_write_them(string mode, string every, RepairMode expected, int seconds)
    {
        var resolved = new RepairOptions { Mode = mode, DecideEvery = every }.Resolve(kubernetesConnected: false);

        Assert.Empty(resolved.Errors);
        Assert.Equal((expected, TimeSpan.FromSeconds(seconds)), (resolved.Mode, resolved.DecideEvery));
    }

    [Fact]
    public void Mode_on_needs_a_kubernetes_connection()
    {
        var error = Assert.Single(new RepairOptions { Mode = "On" }.Resolve(kubernetesConnected: false).Errors);

        Assert.StartsWith("Repair:Mode On needs a Kubernetes connection", error);
        Assert.Contains("DryRun", error);
        Assert.Empty(new RepairOptions { Mode = "On" }.Resolve(kubernetesConnected: true).Errors);
    }

    [Theory]
    [InlineData("Mode", "Sometimes", "Repair:Mode 'Sometimes' is not one of Off, DryRun, On")]
    [InlineData("Mode", "2", "Repair:Mode '2' is not one of Off, DryRun, On")]
    [InlineData("DecideEvery", "soon", "Repair:DecideEvery 'soon' is not a duration")]
    [InlineData("DecideEvery", "0s", "Repair:DecideEvery 0s must be between 1s and 1h")]
    [InlineData("DrainTimeout", "later", "Repair:DrainTimeout 'later' is not a duration")]
    [InlineData("VerifyTimeout", "0s", "Repair:VerifyTimeout 0s must be between 1s and 1d")]
    [InlineData("DeleteGracePeriod", "2h", "Repair:DeleteGracePeriod 2h must be between 0s and 1h")]
    public void A_bad_setting_is_named_in_the_error(string setting, string value, string expected)
    {
        var options = new RepairOptions();
        typeof(RepairOptions).GetProperty(setting)!.SetValue(options, value);

        Assert.Contains(options.Resolve(kubernetesConnected: true).Errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void The_api_shows_a_decision_with_its_state_and_its_explanation_as_text_and_structure()
    {
        var at = new DateTime(2026, 11, 27, 12, 11, 0, DateTimeKind.Utc);
        var decision = new RepairDecisionRecorded("gpu-1", at, "workers", "eu-west-1a", "AcceleratedHardwareReady", "NvidiaXID79Error", RepairAction.Replace,
            "Deny", "PoolParallel", true, null, "rule text", "budgets: 1 at once per pool (default)",
            [new RecordedFault("AcceleratedHardwareReady", ConditionStatus.False, "NvidiaXID79Error", at.AddMinutes(-11), TimeSpan.FromMinutes(10), RepairAction.Replace, "w", "a")],
            new RecordedBudget("workers", 3, 2, "limit", 1, 1, 1, 10, "eu-west-1a", "closed", "none configured (any time)"), "the text");
        var json = new JsonSerializerOptions(new JsonOptions().SerializerOptions) { Converters = { new JsonStringEnumConverter() } };

        var view = JsonNode.Parse(JsonSerializer.Serialize(RepairListView.From(new RepairList("DryRun", "defaults", "", [decision])), json))!;

        Assert.Equal("DryRun", (string?)view["mode"]);
        Assert.Null(view["policyProblem"]);
        var shown = view["decisions"]![0]!;
        Assert.Equal(("gpu-1", "AcceleratedHardwareReady", "NvidiaXID79Error", "Replace", "Deny", "PoolParallel", true),
            ((string?)shown["node"], (string?)shown["condition"], (string?)shown["reason"], (string?)shown["action"], (string?)shown["state"], (string?)shown["denial"], (bool)shown["dryRun"]!));
        Assert.Equal("2026-11-27T12:11:00Z", (string?)shown["decidedAt"]);
        Assert.Equal("the text", (string?)shown["explanation"]!["text"]);
        Assert.Equal("10m", (string?)shown["explanation"]!["findings"]![0]!["wait"]);
        Assert.Equal(2, (int)shown["explanation"]!["budget"]!["poolUnhealthy"]!);
    }
}
