using System.Runtime.InteropServices;

namespace NodeHealth.EndToEnd.Tests.Support;

/// <summary>Freezes and thaws a process under test (SIGSTOP/SIGCONT): alive, connected, and answering nothing.</summary>
public static partial class Signals
{
    private const int SigStop = 19;
    private const int SigCont = 18;

    public static void Freeze(ProcessUnderTest process) => Send(process, SigStop);

    public static void Thaw(ProcessUnderTest process) => Send(process, SigCont);

    private static void Send(ProcessUnderTest process, int signal)
    {
        var pid = process.ProcessId ?? throw new InvalidOperationException("the process is not running");
        if (Kill(pid, signal) != 0)
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: {Marshal.GetLastPInvokeError()}");
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
