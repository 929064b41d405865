using NodeHealth.Actors.Agent.Accelerators;
using NodeHealth.Contracts;
using static NodeHealth.Actors.Tests.Agent.Accelerators.RecordedOutputs;

namespace NodeHealth.Actors.Tests.Agent.Accelerators;

public sealed class DcgmHealthCheckTests
{
    [Fact]
    public void A_healthy_report_has_no_incidents()
    {
        Assert.Empty(DcgmHealthCheck.Parse(DcgmHealthy)!);
    }

    [Fact]
    public void Failure_is_fatal_and_warning_is_milder_each_with_its_dcgm_error_code_and_gpu()
    {
        var failures = DcgmHealthCheck.Failures(DcgmHealthCheck.Parse(DcgmDoubleBitFailureAndReplayWarning)!);

        Assert.Equal([("DCGMHealthCode4", "GPU 0", Severity.Fatal), ("DCGMHealthCode3", "GPU 1", Severity.Warning)],
            failures.Select(f => (f.Reason, f.Entity!, f.Severity!.Value)));
        Assert.Equal("GPU 1 PCIe system: Detected more than 8 PCIe replays per minute for GPU 1 : 13", failures[1].Message);
    }

    [Fact]
    public void Joined_and_wrapped_incidents_yield_each_code_once_per_entity_and_unknown_messages_code_1()
    {
        var failures = DcgmHealthCheck.Failures(DcgmHealthCheck.Parse(DcgmNvLinkAndSwitchAndUnknown)!);

        Assert.Equal(
            [("DCGMHealthCode1", "GPU 2", Severity.Warning), ("DCGMHealthCode14", "GPU 2", Severity.Fatal), ("DCGMHealthCode15", "Switch 0", Severity.Fatal)],
            failures.Select(f => (f.Reason, f.Entity!, f.Severity!.Value)));
        Assert.Contains("A brand new InfoROM complaint on GPU 2.", failures[0].Message);
    }

    [Theory]
    [InlineData("Only 17 NvLinks are up out of the expected 18", 99)]
    [InlineData("NvSwitch 3 - Only 60 NvLinks are up out of the expected 64", 100)]
    [InlineData("Detected XID 79 for GPU 4", 101)]
    [InlineData("GPU 3 had uncorrectable memory errors and row remapping failed.", 80)]
    [InlineData("GPU had an uncontained error (XID 95)", 81)]
    [InlineData("GPU 1 had memory errors and row remappings are pending", 85)]
    public void Messages_map_to_the_codes_of_dcgm_errors_h(string message, int code)
    {
        Assert.Equal([code], DcgmHealthCheck.CodesOf(message));
    }

    [Theory]
    [InlineData(DcgmCannotConnect)]
    [InlineData("")]
    [InlineData("| a | b | c |\n|||\n")]
    public void Text_that_is_not_a_health_report_is_null(string output)
    {
        Assert.Null(DcgmHealthCheck.Parse(output));
    }
}
