using System.Net;
using System.Net.Sockets;

namespace NodeHealth.EndToEnd.Tests.Support;

public static class Paths
{
    /// <summary>The repository root (where Actors.sln is).</summary>
    public static string Repository { get; } = FindRepository();

    /// <summary>bin/&lt;Configuration&gt;/net10.0 of a src project, built with the same configuration as these tests.</summary>
    public static string Output(string project) =>
        Path.Combine(Repository, "src", project, "bin", Configuration, "net10.0");

    public static string CoordinatorDll => Path.Combine(Output("Coordinator"), "NodeHealth.Coordinator.dll");

    public static string AgentDll => Path.Combine(Output("NodeHost"), "NodeHealth.NodeHost.dll");

    public static string Dotnet { get; } = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";

    private static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    private static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// A port free now that this test run has not handed out before: the kernel may give the same ephemeral port to two
    /// listeners opened one after the other, and a coordinator whose gRPC and Akka ports were the same failed to start (seen in CI).
    /// </summary>
    public static int FreePort()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (HandedOut)
                if (HandedOut.Add(port))
                    return port;
        }
    }

    public static string TempDirectory(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)]);
        Directory.CreateDirectory(path);
        return path;
    }

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Actors.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Actors.sln not found above " + AppContext.BaseDirectory);
    }
}
