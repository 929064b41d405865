using System.Diagnostics;
using NodeHealth.EndToEnd.Tests.Support;

namespace NodeHealth.EndToEnd.Tests;

/// <summary>The README run command as a user without root: it starts, and says plainly that it cannot read the kernel log.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class NewcomerTests
{
    [Fact]
    public async Task Without_root_the_all_in_one_system_starts_and_reports_the_kernel_log_as_unreadable()
    {
        using var restrict = Sysctl.Set("kernel.dmesg_restrict", "1"); // As on most distributions: only root (CAP_SYSLOG) reads the kernel log.
        var home = Paths.TempDirectory("nh-newcomer");
        try
        {
            // A copy nobody can read, wherever CI checked the repository out.
            var app = Path.Combine(home, "app");
            CopyDirectory(Paths.Output("Coordinator"), app);
            await Run("chown", "-R", "nobody:nogroup", home);
            await Run("chmod", "-R", "u+rwX,go+rX", home);

            var httpPort = Paths.FreePort();
            var node = "newcomer-" + Guid.NewGuid().ToString("N")[..6];
            await using var coordinator = SystemProcess.Start("newcomer", "setpriv",
                ["--reuid=nobody", "--regid=nogroup", "--clear-groups", Paths.Dotnet, Path.Combine(app, "NodeHealth.Coordinator.dll"),
                 $"--Coordinator:HttpPort={httpPort}", $"--Coordinator:GrpcPort={Paths.FreePort()}", $"--Coordinator:AkkaPort={Paths.FreePort()}", $"--Agent:NodeName={node}"],
                new Dictionary<string, string> { ["HOME"] = home, ["XDG_DATA_HOME"] = Path.Combine(home, "data"), ["DOTNET_CLI_HOME"] = home });

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
            var view = await Eventually.ValueAsync(async () =>
            {
                if (coordinator.HasExited)
                    throw new InvalidOperationException($"The run command exited with {coordinator.ExitCode}:\n{coordinator.Output}");
                try
                {
                    using var response = await http.GetAsync($"/api/nodes/{node}");
                    return response.IsSuccessStatusCode ? System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject() : null;
                }
                catch (HttpRequestException)
                {
                    return null;
                }
            }, v => v.Condition("KernelReady") is not null, TimeSpan.FromSeconds(60), v => $"{v}\n{coordinator.Output}");

            var kernelReady = view!.Condition("KernelReady");
            Assert.Equal("Unknown", kernelReady.Text("status")); // Never "True" for a log it cannot read.
            Assert.Equal("KernelLogUnreadable", kernelReady.Text("reason"));
            Assert.Contains("/dev/kmsg", kernelReady.Text("message"));
            Assert.Contains("root or CAP_SYSLOG", kernelReady.Text("message"));
            Assert.Contains("cannot read /dev/kmsg", coordinator.Output);
            Assert.Contains("node-health is running at", coordinator.Output);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var directory in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(directory.Replace(from, to));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, file.Replace(from, to));
    }

    private static async Task Run(string file, params string[] arguments)
    {
        using var process = Process.Start(file, arguments);
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
    }
}
