using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodeHealth.Actors.Repair.Execution;
using NodeHealth.Coordinator.Repair.Replace;

namespace NodeHealth.Kubernetes.Tests.Repair;

/// <summary>"Repair:Replace": the provider of each pool, and errors that name the setting and the values it may take.</summary>
public sealed class ReplaceSettingsTests
{
    private static ReplaceOptions Bind(params (string Key, string Value)[] settings) =>
        ReplaceOptions.Bind(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build());

    [Fact]
    public void Without_settings_every_pool_deletes_the_node()
    {
        var (choice, errors) = Bind().Resolve();

        Assert.Empty(errors);
        Assert.Equal(ReplaceProvider.DeleteNode, choice.For("gpu-a100"));
        Assert.Equal(ReplaceProvider.DeleteNode, choice.For("(no pool)"));
    }

    [Fact]
    public void A_pool_named_in_Pools_gets_its_provider_and_every_other_pool_the_default()
    {
        var (choice, errors) = Bind(
            ("Repair:Replace:Provider", "Karpenter"),
            ("Repair:Replace:Pools:capi-gpu", "ClusterApi"),
            ("Repair:Replace:Pools:static-cpu", "deletenode")).Resolve();

        Assert.Empty(errors);
        Assert.Equal(ReplaceProvider.ClusterApi, choice.For("capi-gpu"));
        Assert.Equal(ReplaceProvider.DeleteNode, choice.For("static-cpu"));
        Assert.Equal(ReplaceProvider.Karpenter, choice.For("gpu-h100"));
    }

    [Theory]
    [InlineData("Repair:Replace:Provider", "Terminate", "Repair:Replace:Provider 'Terminate' is not one of DeleteNode, Karpenter, ClusterApi, AutoScaling")]
    [InlineData("Repair:Replace:Provider", "1", "Repair:Replace:Provider '1' is not one of DeleteNode, Karpenter, ClusterApi, AutoScaling")]
    [InlineData("Repair:Replace:Provider", "DeleteNode, Karpenter", "Repair:Replace:Provider 'DeleteNode, Karpenter' is not one of DeleteNode, Karpenter, ClusterApi, AutoScaling")]
    [InlineData("Repair:Replace:Pools:gpu-a100", "Karpenterr", "Repair:Replace:Pools:gpu-a100 'Karpenterr' is not one of DeleteNode, Karpenter, ClusterApi, AutoScaling")]
    [InlineData("Repair:Replace:Pools:gpu-a100", "AwsAutoScaling", "Repair:Replace:Pools:gpu-a100 'AwsAutoScaling' is not one of DeleteNode, Karpenter, ClusterApi, AutoScaling")]
    public void A_provider_that_does_not_exist_is_refused_naming_the_setting_and_the_valid_values(string key, string value, string error)
    {
        var (_, errors) = Bind((key, value)).Resolve();

        Assert.Equal([error], errors);
    }

    [Theory]
    [InlineData(null, null, "Repair:Replace:AutoScaling:Region is needed for the AutoScaling provider (or the AWS_REGION environment variable), e.g. us-west-2")]
    [InlineData("us west", null, "Repair:Replace:AutoScaling:Region 'us west' is not an AWS region, e.g. us-west-2")]
    [InlineData("us-west-2", "autoscaling.internal", "Repair:Replace:AutoScaling:Endpoint 'autoscaling.internal' must be an absolute http(s) URL, e.g. https://autoscaling.us-west-2.amazonaws.com/")]
    [InlineData("eu-central-1", null, null)]
    public void The_AutoScaling_provider_needs_a_region_and_takes_an_endpoint(string? region, string? endpoint, string? error)
    {
        var settings = new List<(string, string)> { ("Repair:Replace:Pools:gpu-h100", "AutoScaling") };
        if (region is not null)
            settings.Add(("Repair:Replace:AutoScaling:Region", region));
        if (endpoint is not null)
            settings.Add(("Repair:Replace:AutoScaling:Endpoint", endpoint));
        var options = Bind([.. settings]);
        if (region is null && options.AutoScaling.ResolvedRegion is not null)
            return; // This machine's environment names a region (AWS_REGION): nothing is missing.

        var (choice, errors) = options.Resolve();

        Assert.Equal(error is null ? [] : [error], errors);
        Assert.Equal(ReplaceProvider.AutoScaling, choice.For("gpu-h100"));
        if (error is null)
            Assert.Equal(new Uri("https://autoscaling.eu-central-1.amazonaws.com/"), options.AutoScaling.ResolvedEndpoint);
    }

    [Fact]
    public void Every_wrong_setting_is_reported_at_once()
    {
        var (_, errors) = Bind(("Repair:Replace:Provider", "Node"), ("Repair:Replace:Pools:a", "x"), ("Repair:Replace:Pools:b", "Karpenter")).Resolve();

        Assert.Equal(2, errors.Count);
        Assert.StartsWith("Repair:Replace:Provider 'Node'", errors[0]);
        Assert.StartsWith("Repair:Replace:Pools:a 'x'", errors[1]);
    }

    [Fact]
    public void The_wiring_answers_the_settings_errors_and_registers_nothing()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection([new("Repair:Replace:Provider", "Reimage")]);

        var errors = builder.AddRepairReplace();

        Assert.Equal(["Repair:Replace:Provider 'Reimage' is not one of DeleteNode, Karpenter, ClusterApi, AutoScaling"], errors);
        Assert.DoesNotContain(builder.Services, s => s.ServiceType == typeof(INodeReplacer));
    }

    [Fact]
    public async Task Without_Kubernetes_the_registered_replacer_fails_saying_why()
    {
        var builder = WebApplication.CreateSlimBuilder();

        Assert.Empty(builder.AddRepairReplace());
        await using var services = builder.Services.BuildServiceProvider();
        var outcome = await services.GetRequiredService<INodeReplacer>().ReplaceAsync("node-a", "gpu", CancellationToken.None);

        Assert.Equal(StepStatus.Failed, outcome.Status);
        Assert.Contains("needs a Kubernetes connection", outcome.Detail);
    }
}
