using System.Text;

namespace NodeHealth.NodeHost.Tests.Classify;

/// <summary>The <c>classify</c> command's contract as a user meets it: arguments, exit codes, inputs, hostile lines.</summary>
public sealed class ClassifyCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("classify-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Missing_source_is_a_usage_error()
    {
        var result = await ClassifyProcess.RunAsync([], []);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--source is required", result.Log);
        Assert.Contains("usage: classify --source SOURCE", result.Log);
    }

    [Fact]
    public async Task Unknown_option_is_a_usage_error_that_names_it()
    {
        var result = await ClassifyProcess.RunAsync(["--source", "kernel", "--follow"], []);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown option --follow", result.Log);
    }

    [Fact]
    public async Task Two_input_files_are_a_usage_error()
    {
        var result = await ClassifyProcess.RunAsync(["--source", "kernel", "a.log", "b.log"], []);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("one input file at most", result.Log);
    }

    [Fact]
    public async Task A_missing_input_file_is_named_and_exits_2()
    {
        var missing = Path.Combine(_directory, "kern.log");

        var result = await ClassifyProcess.RunAsync(["--source", "kernel", missing], []);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"cannot read {missing}", result.Log);
    }

    [Fact]
    public async Task A_broken_catalog_file_is_named_with_its_problem_and_exits_2()
    {
        var catalog = Write("rules.yaml", """
            conditions:
              - type: KernelReady
                reasons:
                  - reason: MyRule
                    severity: Warning
                    source: kmsg
                    match: 'unclosed (group'
            """);

        var result = await ClassifyProcess.RunAsync(["--source", "kernel", "--catalog", catalog, "-"], []);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(catalog, result.Log);
        Assert.Contains("not a valid regular expression", result.Log);
    }

    [Fact]
    public async Task A_given_file_is_read_without_waiting_on_standard_input()
    {
        var log = Write("kern.log", "[  100.000000] watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [java:42]\n");

        var result = await ClassifyProcess.RunAsync(["--source", "kernel", log], standardInput: null, timeout: TimeSpan.FromSeconds(30));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("SoftLockup", Assert.Single(result.Findings).Reason);
    }

    [Fact]
    public async Task Output_is_one_compact_camel_case_json_object_per_finding()
    {
        var result = await ClassifyProcess.RunAsync(["--source", "kernel"],
            "[  100.000000] watchdog: BUG: soft lockup - CPU#6 stuck for 23s! [VM Thread:4054]\n"u8.ToArray());

        Assert.Equal(
            """{"condition":"KernelReady","reason":"SoftLockup","severity":"Warning","line":1,"message":"CPU#6 stuck for 23s [VM Thread:4054]","entity":"cpu6","count":1}""" + "\n",
            result.Output);
    }

    [Fact]
    public async Task A_source_without_rules_prints_nothing_and_exits_0()
    {
        var result = await ClassifyProcess.RunAsync(["--source", "no-such-daemon"], "Failed to start containerd.\n"u8.ToArray());

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Output);
        Assert.Contains("journal-no-such-daemon", result.Log);
    }

    [Fact]
    public async Task A_journal_identifier_names_the_journal_source_and_an_operator_rule_can_add_one()
    {
        var catalog = Write("myapp.yaml", """
            conditions:
              - type: ContainerRuntimeReady
                reasons:
                  - reason: MyAppWedged
                    severity: Warning
                    source: journal-myapp
                    match: 'worker (?<id>\d+) wedged'
                    message: 'worker {id} wedged'
            """);
        var input = "Jan 02 10:00:00 ip-10-0-1-23 myapp[77]: worker 3 wedged\nworker 4 wedged\n"u8.ToArray();

        var result = await ClassifyProcess.RunAsync(["--source", "myapp", "--catalog", catalog], input);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["worker 3 wedged@1", "worker 4 wedged@2"], result.Findings.Select(f => $"{f.Message}@{f.Line}"));
    }

    [Fact]
    public async Task A_one_mebibyte_line_is_cut_and_the_lines_around_it_are_still_classified()
    {
        var input = new StringBuilder()
            .Append("[  1.000000] watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [a:1] ").Append('x', 1024 * 1024).Append('\n')
            .Append("[  2.000000] watchdog: BUG: soft lockup - CPU#2 stuck for 22s! [b:2]\n").ToString();

        var result = await ClassifyProcess.RunAsync(["--source", "kernel", Write("huge.log", input)]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["SoftLockup@1", "SoftLockup@2"], result.Findings.Select(f => $"{f.Reason}@{f.Line}"));
        Assert.Contains("1 lines longer than", result.Log);
    }

    [Fact]
    public async Task Invalid_utf8_does_not_hide_the_fault_on_its_line()
    {
        var input = new List<byte>();
        input.AddRange("[  1.000000] Out of memory: Killed process 4321 (java) total-vm:1kB "u8.ToArray());
        input.AddRange(new byte[] { 0xff, 0xfe, 0xc3, 0x28, (byte)'\n' }); // bytes that are no UTF-8 at all
        input.AddRange("[  2.000000] Out of memory: Killed process 99 ("u8.ToArray());
        input.AddRange(new byte[] { 0xe2, 0x82 }); // a UTF-8 character cut short
        input.AddRange(") total-vm:1kB\n"u8.ToArray());

        var result = await ClassifyProcess.RunAsync(["--source", "kernel", Write("utf8.log", input.ToArray())]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["OOMKilling@1", "OOMKilling@2"], result.Findings.Select(f => $"{f.Reason}@{f.Line}"));
        Assert.Equal("Out of memory: killed process 99 (\uFFFD)", result.Findings[1].Message);
    }

    [Fact]
    public async Task Binary_garbage_and_a_kmsg_record_cut_in_half_are_read_through()
    {
        var garbage = new byte[256 * 1024];
        new Random(6).NextBytes(garbage);
        var input = new List<byte>(garbage);
        input.AddRange("\n4,5021,123456789,-;watchdog: BUG: soft lo\nckup - CPU#3 stuck for 22s! [java:42]\n"u8.ToArray());
        input.AddRange("4,5022,123456999,-;watchdog: BUG: soft lockup - CPU#4 stuck for 22s! [java:43]\n"u8.ToArray());

        var result = await ClassifyProcess.RunAsync(["--source", "kernel", Write("garbage.log", input.ToArray())]);

        Assert.Equal(0, result.ExitCode);
        var last = Assert.Single(result.Findings, f => f.Reason == "SoftLockup");
        Assert.Equal("CPU#4 stuck for 22s [java:43]", last.Message);
    }

    [Fact]
    public async Task Storms_are_folded_only_with_rate_limits()
    {
        var storm = string.Concat(Enumerable.Range(0, 100).Select(i =>
            $"[  {100 + i / 10}.{i % 10}00000] Out of memory: Killed process {1000 + i} (java) total-vm:9817216kB, anon-rss:7564012kB\n"));
        var log = Write("storm.log", storm);

        var every = await ClassifyProcess.RunAsync(["--source", "kernel", log]);
        var folded = await ClassifyProcess.RunAsync(["--source", "kernel", "--rate-limits", log]);

        Assert.Equal(100, every.Findings.Count);
        Assert.Equal(11, folded.Findings.Count);
        Assert.Equal(100, folded.Findings.Sum(f => f.Count));
        Assert.Equal((11L, 90), (folded.Findings[^1].Line, folded.Findings[^1].Count));
    }

    private string Write(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
