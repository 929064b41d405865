namespace NodeHealth.EndToEnd.Tests.Support;

/// <summary>Writes to the real /dev/kmsg, as a fault-injection tool would (needs root).</summary>
public static class KernelLog
{
    public static void Write(string line)
    {
        using var kmsg = new FileStream("/dev/kmsg", FileMode.Open, FileAccess.Write);
        var bytes = System.Text.Encoding.UTF8.GetBytes(line + "\n");
        kmsg.Write(bytes);
    }
}
