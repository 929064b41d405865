namespace NodeHealth.NodeHost.Tests.Classify;

/// <summary>
/// Logs of a healthy, busy node (boot, pod churn, netfilter and SELinux audit, mounts, driver probes, kubelet
/// chatter; generated once by bench/Bench "generate" and "generate-kubelet", then kept) yield no finding.
/// </summary>
public sealed class BenignCorpusTests
{
    [Theory]
    [InlineData("kernel", "benign-kernel.log", 6_000)]
    [InlineData("kubelet", "benign-kubelet.log", 2_000)]
    public async Task A_healthy_nodes_log_yields_no_finding(string source, string corpus, int lines)
    {
        var result = await ClassifyProcess.RunAsync(["--source", source, ClassifyProcess.Fixture(corpus)]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"{lines:N0} lines", result.Log);
        Assert.True(result.Findings.Count == 0, result.Output);
    }
}
