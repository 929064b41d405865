using System.Runtime.InteropServices;
using NodeHealth.Actors.Agent.KernelProbes;
using NodeHealth.Actors.Agent.Probes;

namespace NodeHealth.NodeHost.Probes;

/// <summary>
/// adjtimex(2) with modes 0: reads the kernel's clock discipline and changes nothing, so it needs no
/// CAP_SYS_TIME. The clock is not namespaced: a container sees the host's.
/// </summary>
public sealed unsafe partial class Adjtimex : IKernelClock
{
    /// <summary>struct timex is 208 bytes on 64-bit Linux; a larger zeroed buffer leaves room.</summary>
    private const int TimexSize = 256;

    /// <summary>modes (uint) + padding + offset, freq, maxerror, esterror (4 longs): status is the int at byte 40 on LP64.</summary>
    private const int StatusOffset = 40;

    [LibraryImport("libc", EntryPoint = "adjtimex", SetLastError = true)]
    private static partial int Call(byte* timex);

    public int Status()
    {
        if (!Environment.Is64BitProcess)
            throw new ProbeUnavailableException("adjtimex: only 64-bit Linux is supported");
        var timex = stackalloc byte[TimexSize];
        new Span<byte>(timex, TimexSize).Clear();
        if (Call(timex) < 0)
            throw new ProbeUnavailableException($"adjtimex failed: errno {Marshal.GetLastPInvokeError()}");
        return *(int*)(timex + StatusOffset);
    }
}
