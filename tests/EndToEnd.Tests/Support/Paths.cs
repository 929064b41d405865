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

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
