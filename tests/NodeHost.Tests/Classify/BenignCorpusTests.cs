namespace NodeHealth.NodeHost.Tests.Classify;

/// <summary>
/// Logs of a healthy, busy node (boot, pod churn, netfilter and SELinux audit, mounts, driver probes, kubelet
/// and systemd chatter; generated once by bench/Bench "generate" and "generate-kubelet", and from templates of
/// Amazon Linux 2023 systemd lines for the systemd one, then kept) yield no finding.
/// </summary>
public sealed class BenignCorpusTests
{
    [Theory]
    [InlineData("kernel", "benign-kernel.log", 6_000)]
    [InlineData("kubelet", "benign-kubelet.log", 2_000)]
    [InlineData("systemd", "benign-systemd.log", 606)]
    public async Task A_healthy_nodes_log_yields_no_finding(string source, string corpus, int lines)
    {
        var result = await ClassifyProcess.RunAsync(["--source", source, ClassifyProcess.Fixture(corpus)]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"{lines:N0} lines", result.Log);
        Assert.True(result.Findings.Count == 0, result.Output);
    }
}
