using NodeHealth.Actors.Agent.Probes;

namespace NodeHealth.Actors.Tests.Agent.KernelProbes;

/// <summary>A host root in a temporary directory (what HOST_ROOT points at in the DaemonSet), with the files a test writes.</summary>
internal sealed class HostRoot : IDisposable
{
    public HostRoot() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "nh-host-" + Guid.NewGuid().ToString("N")[..8]);

    public IHostFiles Files => new RootedHostFiles(Path);

    public HostRoot Write(string hostPath, string text) => Write(hostPath, System.Text.Encoding.UTF8.GetBytes(text));

    public HostRoot Write(string hostPath, byte[] bytes)
    {
        var file = System.IO.Path.Combine(Path, hostPath.TrimStart('/'));
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllBytes(file, bytes);
        return this;
    }

    public void Delete(string hostPath) => Directory.Delete(System.IO.Path.Combine(Path, hostPath.TrimStart('/')), recursive: true);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
