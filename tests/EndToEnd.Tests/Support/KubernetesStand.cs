using NodeHealth.Kubernetes.Tests.Support;
using NodeHealth.Kubernetes.Tests.Support.ApiServer;

namespace NodeHealth.EndToEnd.Tests.Support;

/// <summary>
/// What an end-to-end test against Kubernetes stands on: the Kubernetes test server, a scratch directory for the
/// test's files (policies, scripts, certificates), and the arguments that point a coordinator at that server.
/// </summary>
public sealed class KubernetesStand : IAsyncDisposable
{
    private readonly string _kubeconfig;

    private KubernetesStand(TestApiServer server, string scratch)
    {
        Server = server;
        Scratch = scratch;
        _kubeconfig = Kubeconfig.Write(server.Uri);
    }

    public TestApiServer Server { get; }

    public string Scratch { get; }

    /// <summary>The kubeconfig of the test server, and conditions written within 50 ms (a test need not wait for coalescing).</summary>
    public IEnumerable<string> CoordinatorArguments => [$"--Kubernetes:Kubeconfig={_kubeconfig}", "--Kubernetes:Coalesce=00:00:00.050"];

    public static async Task<KubernetesStand> StartAsync(string scratchPrefix) =>
        new(await TestApiServer.StartAsync(), Paths.TempDirectory(scratchPrefix));

    /// <summary>Writes <paramref name="text"/> to <paramref name="name"/> in the scratch directory and answers its path.</summary>
    public string File(string name, string text)
    {
        var path = Path.Combine(Scratch, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        System.IO.File.Delete(_kubeconfig);
        Directory.Delete(Scratch, recursive: true);
    }
}
