using System.Diagnostics;
using NodeHealth.Actors.Agent.Probes;

namespace NodeHealth.Actors.Tests.Agent.Accelerators;

/// <summary>The one process runner behind both command adapters: deadlines and output bounds with real processes.</summary>
public sealed class HostProcessTests : IDisposable
{
    private readonly FakeTools _tools = new();

    public void Dispose() => _tools.Dispose();

    [Fact]
    public void A_tool_that_exits_but_leaves_a_child_holding_its_output_is_given_up_at_the_deadline()
    {
        var tool = _tools.Script("lingers", "sleep 3 &\necho started");
        var took = Stopwatch.StartNew();

        var error = Assert.Throws<HostCommandTimedOutException>(() => new HostCommands().Run(tool, [], TimeSpan.FromMilliseconds(500)));

        Assert.True(took.Elapsed < TimeSpan.FromSeconds(2.5), $"took {took.Elapsed}");
        Assert.Equal(tool, error.Tool);
        Assert.Contains("left a process holding its output open", error.Message);
    }

    [Fact]
    public void A_flood_of_output_is_cut_at_the_limit_and_stderr_follows_stdout()
    {
        var tool = _tools.Script("floods", "head -c 3000000 /dev/zero | tr '\\0' x\necho oops >&2\nexit 4");

        var result = new HostCommands().Run(tool, [], TimeSpan.FromSeconds(10))!;

        Assert.Equal(4, result.ExitCode);
        Assert.Equal(HostProcess.MaxOutputChars, result.Output.Length);
        Assert.Equal("oops\n", new HostCommands().Run(_tools.Script("errs", "echo oops >&2"), [], TimeSpan.FromSeconds(5))!.Output);
    }

    [Fact]
    public void A_tool_not_on_the_path_is_null_and_arguments_reach_it_unsplit()
    {
        Assert.Null(new HostCommands().Run("no-such-tool-" + Guid.NewGuid().ToString("N"), [], TimeSpan.FromSeconds(1)));
        var echo = _tools.Script("args", "printf '%s|' \"$@\"");
        Assert.Equal("--query-gpu=a,b c|x|", new HostCommands().Run(echo, ["--query-gpu=a,b c", "x"], TimeSpan.FromSeconds(5))!.Output);
    }
}
