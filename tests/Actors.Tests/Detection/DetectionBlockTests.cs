using NodeHealth.Actors.Detection;
using NodeHealth.Contracts.Catalog;
using Detected = NodeHealth.Actors.Detection.Detection;

namespace NodeHealth.Actors.Tests.Detection;

/// <summary>Multi-line kernel events fold into one detection; the rules here are an operator file's, on their own source.</summary>
public sealed class DetectionBlockTests
{
    private static readonly ReasonCatalog Catalog = CatalogLoader.Parse("ops.yaml", """
        conditions:
          - type: KernelReady
            reasons:
              - reason: Oops
                severity: Warning
                source: replay
                match: '^(?:BUG: unable to handle (?<what>.+)|Oops: (?<what>.+)|general protection fault(?<what>.*))'
                literals: ['BUG: unable to handle ', 'Oops: ', 'general protection fault']
                message: 'kernel oops: {what}'
                block: { until: '^---\[ end trace [0-9a-f]+ \]---', maxLines: 100 }
                before: Bug
              - reason: Bug
                severity: Warning
                source: replay
                match: 'BUG: (?<what>.+)'
                literals: ['BUG: ']
                message: 'BUG: {what}'
              - reason: HungTask
                severity: Warning
                source: replay
                match: 'INFO: task (?<process>.+):(?<pid>\d+) blocked for more than (?<seconds>\d+) seconds'
                literals: [' blocked for more than ']
                message: 'task {process}:{pid} blocked for more than {seconds} seconds'
                block: { until: '^ </TASK>', maxLines: 80 }
              - reason: CrashedApp
                severity: Warning
                source: replay
                match: '(?<process>[^\s\[]+)\[\d+\]: segfault at'
                literals: [': segfault at']
        """);

    // x86-64, 6.1: a module writing to read-only memory (Debian's kernel; addresses as a real report prints them).
    private const string PageFaultOops = """
        BUG: unable to handle page fault for address: ffffffffc0a3e000
        #PF: supervisor write access in kernel mode
        #PF: error_code(0x0003) - permissions violation
        PGD 2e0c067 P4D 2e0c067 PUD 2e0e067 PMD 10a4a4067 PTE 8000000109c3e061
        Oops: 0003 [#1] PREEMPT SMP NOPTI
        CPU: 3 PID: 4242 Comm: insmod Tainted: G           OE      6.1.0-18-amd64 #1  Debian 6.1.76-1
        Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014
        RIP: 0010:oops_init+0x15/0x1000 [oops]
        Code: Unable to access opcode bytes at 0xffffffffc0a3dfeb.
        RSP: 0018:ffffb4d2c0b6fc38 EFLAGS: 00010246
        RAX: 0000000000000000 RBX: 0000000000000000 RCX: 0000000000000000
        RDX: 0000000000000000 RSI: ffffffffc0a3f000 RDI: ffffffffc0a3e000
        RBP: ffffffffc0a3e000 R08: 0000000000000000 R09: 0000000000000000
        R10: 0000000000000000 R11: 0000000000000000 R12: ffff9b0e8d7d7e40
        R13: 0000000000000000 R14: 0000000000000000 R15: ffffb4d2c0b6fe68
        FS:  00007f8c1a2b8740(0000) GS:ffff9b0fafd80000(0000) knlGS:0000000000000000
        CS:  0010 DS: 0000 ES: 0000 CR0: 0000000080050033
        CR2: ffffffffc0a3e000 CR3: 000000010a6b4003 CR4: 0000000000370ee0
        Call Trace:
         <TASK>
         ? __die+0x23/0x70
         ? page_fault_oops+0x17d/0x4c0
         ? exc_page_fault+0x77/0x170
         ? asm_exc_page_fault+0x26/0x30
         do_one_initcall+0x41/0x200
         do_init_module+0x4c/0x240
         __do_sys_finit_module+0xac/0x120
         do_syscall_64+0x58/0xc0
         entry_SYSCALL_64_after_hwframe+0x64/0xce
        RIP: 0033:0x7f8c1a3d7f29
         </TASK>
        Modules linked in: oops(OE+) nls_ascii nls_cp437 vfat fat ext4 crc16 mbcache jbd2 virtio_net net_failover
        CR2: ffffffffc0a3e000
        ---[ end trace 0000000000000000 ]---
        """;

    // x86-64, 5.15: the hung-task watchdog's report, its stack between <TASK> markers.
    private const string HungTaskReport = """
        INFO: task jbd2/nvme0n1p1-8:321 blocked for more than 122 seconds.
              Not tainted 5.15.0-1051-aws #56-Ubuntu
        "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
        task:jbd2/nvme0n1p1-8 state:D stack:    0 pid:  321 ppid:     2 flags:0x00004000
        Call Trace:
         <TASK>
         __schedule+0x24e/0x590
         schedule+0x69/0x110
         io_schedule+0x46/0x80
         bit_wait_io+0x11/0x70
         __wait_on_bit+0x31/0xa0
         out_of_line_wait_on_bit+0x94/0xb0
         jbd2_journal_commit_transaction+0x1607/0x1a60
         kjournald2+0xa9/0x280
         kthread+0x127/0x150
         ret_from_fork+0x1f/0x30
         </TASK>
        """;

    private static List<Detected> Run(string text) => EngineRun.Text(new DetectionEngine(Catalog, "replay"), text);

    [Fact]
    public void Page_fault_oops_with_registers_and_call_trace_folds_into_one_detection_at_its_first_line()
    {
        var detections = Run("systemd[1]: Started session-3.scope.\n" + PageFaultOops + "\nIPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready");

        var oops = Assert.Single(detections);
        Assert.Equal(("Oops", "kernel oops: page fault for address: ffffffffc0a3e000", 2L, 1), (oops.Rule.Reason, oops.Message, oops.Line, oops.Count));
    }

    [Fact]
    public void Lines_after_the_end_of_a_block_are_classified_again()
    {
        var detections = Run(PageFaultOops + "\nBUG: Bad rss-counter state mm:00000000b4ee7d6c type:MM_ANONPAGES val:1");

        Assert.Equal([("Oops", 1L), ("Bug", 35L)], detections.Select(d => (d.Rule.Reason, d.Line)));
    }

    [Fact]
    public void Hung_task_report_with_its_stack_folds_into_one_detection()
    {
        var detections = Run(HungTaskReport + "\nsshd[991]: segfault at 0 ip 00007f0c sp 00007ffd error 4 in libc.so.6");

        Assert.Equal([("HungTask", 1L), ("CrashedApp", 18L)], detections.Select(d => (d.Rule.Reason, d.Line)));
        Assert.Equal("task jbd2/nvme0n1p1-8:321 blocked for more than 122 seconds", detections[0].Message);
    }

    [Fact]
    public void Block_without_its_end_line_closes_at_max_lines()
    {
        var lines = new[] { "INFO: task kworker/3:1:77 blocked for more than 245 seconds." }
            .Concat(Enumerable.Repeat(" schedule+0x69/0x110", 79))
            .Append("INFO: task kworker/3:2:78 blocked for more than 245 seconds.")
            .ToArray();

        var detections = EngineRun.Lines(new DetectionEngine(Catalog, "replay"), lines);

        Assert.Equal([1L, 81L], detections.Select(d => d.Line));
    }

    [Fact]
    public void Block_is_held_back_until_it_ends_and_closes_when_the_log_goes_idle()
    {
        var engine = new DetectionEngine(Catalog, "replay", new DetectionOptions { BlockIdle = TimeSpan.FromSeconds(1) });
        var output = new List<Detected>();
        var at = EngineRun.T0;

        engine.Feed("INFO: task kworker/3:1:77 blocked for more than 245 seconds.", at, 10, output);
        engine.Feed(" schedule+0x69/0x110", at.AddMilliseconds(5), 11, output);
        engine.Flush(at.AddMilliseconds(500), output);
        Assert.Empty(output);
        Assert.Equal(10, engine.OpenBlockLine);

        engine.Flush(at.AddSeconds(2), output);

        Assert.Equal(10L, Assert.Single(output).Line);
        Assert.Null(engine.OpenBlockLine);
    }

    [Fact]
    public void A_line_after_a_pause_longer_than_block_idle_is_classified_on_its_own()
    {
        var engine = new DetectionEngine(Catalog, "replay");
        var output = new List<Detected>();

        engine.Feed("INFO: task kworker/3:1:77 blocked for more than 245 seconds.", EngineRun.T0, 1, output);
        engine.Feed("sshd[991]: segfault at 0 ip 00007f0c sp 00007ffd error 4 in libc.so.6", EngineRun.T0.AddSeconds(5), 2, output);

        Assert.Equal(["HungTask", "CrashedApp"], output.Select(d => d.Rule.Reason));
    }
}
