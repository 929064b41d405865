using System.Runtime.InteropServices;
using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Actors.Agent.Storage;

namespace NodeHealth.NodeHost.Probes;

/// <summary>
/// NVMe Get Log Page (admin opcode 0x02) through NVME_IOCTL_ADMIN_CMD on a controller's device node under
/// HOST_ROOT; needs CAP_SYS_ADMIN (the DaemonSet is privileged).
/// </summary>
public sealed unsafe partial class NvmeAdminIoctl(Func<string, string> resolve) : INvmeAdmin
{
    private const ulong AdminCommand = 0xC0484E41;
    private const byte GetLogPage = 0x02;
    private const int ReadOnly = 0;

    /// <summary>struct nvme_admin_cmd from linux/nvme_ioctl.h (72 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct AdminCmd
    {
        public byte Opcode;
        public byte Flags;
        public ushort Reserved1;
        public uint Nsid;
        public uint Cdw2;
        public uint Cdw3;
        public ulong Metadata;
        public ulong Addr;
        public uint MetadataLen;
        public uint DataLen;
        public uint Cdw10;
        public uint Cdw11;
        public uint Cdw12;
        public uint Cdw13;
        public uint Cdw14;
        public uint Cdw15;
        public uint TimeoutMs;
        public uint Result;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int Ioctl(int fd, ulong request, AdminCmd* command);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    public byte[] LogPage(string device, byte logPage, uint namespaceId, int length)
    {
        var path = resolve(device);
        var fd = Open(path, ReadOnly);
        if (fd < 0)
            throw new ProbeUnavailableException($"Cannot open {path}: errno {Marshal.GetLastPInvokeError()}");
        try
        {
            var page = new byte[length];
            fixed (byte* data = page)
            {
                var command = new AdminCmd
                {
                    Opcode = GetLogPage,
                    Nsid = namespaceId,
                    Addr = (ulong)data,
                    DataLen = (uint)length,
                    // Number of dwords minus one in the upper half, the log page id in the lower byte.
                    Cdw10 = ((uint)(length / 4 - 1) << 16) | logPage,
                    TimeoutMs = 5000,
                };
                var status = Ioctl(fd, AdminCommand, &command);
                if (status != 0)
                    throw new ProbeUnavailableException(status < 0
                        ? $"NVMe Get Log Page 0x{logPage:X2} on {path} failed: errno {Marshal.GetLastPInvokeError()}"
                        : $"NVMe Get Log Page 0x{logPage:X2} on {path} failed: NVMe status 0x{status:X}");
            }
            return page;
        }
        finally
        {
            Close(fd);
        }
    }
}
